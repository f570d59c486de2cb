"""The random stream, clock and record helpers every part of the metropolis is drawn with."""

from __future__ import annotations

import calendar
import random
import time
from datetime import date

from connectors.servicenow.fake import catalog
from connectors.servicenow.tables import TABLES, TABLES_BY_NAME

Record = dict[str, str]

# Fields the real instance holds but Empreinte never reads; tests prove they are not requested.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "sys_user": ("user_name", "first_name", "last_name", "name", "email", "phone", "title"),
    "alm_hardware": ("serial_number", "assigned_to", "display_name"),
}

# The relationship type services and servers are linked with (kept as its name, see README).
DEPENDS_ON = "Depends on::Used by"

GO_LIVE = date(2018, 6, 11)  # the instance went live: reference data was imported then
FLEET_START = date(2015, 1, 1)


def epoch(day: date) -> int:
    return calendar.timegm(day.timetuple())


def fmt_ts(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


class Generator:
    """Holds the random stream, the clock bounds and the tables while they are built."""

    def __init__(self, seed: int, scale: float, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.as_of = as_of
        self.end = epoch(as_of) - 1  # every timestamp is strictly before as_of's midnight
        self.tables: dict[str, list[Record]] = {spec.name: [] for spec in TABLES}
        # A few bulk-import seconds shared by many records: keyset ties on sys_updated_on.
        go_live = epoch(GO_LIVE)
        # bulk[0] is the go-live import; the others are later nightly imports.
        later = sorted(go_live + self.rng.randrange(0, self.end - go_live) for _ in range(24))
        self.bulk = [go_live + 3 * 3600 + 725, *later]

    # ---- primitives -------------------------------------------------------------------
    def sys_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def n(self, base: float) -> int:
        return max(1, round(base * self.scale))

    def stamps(self, created: int, touched: int | None = None) -> tuple[str, str]:
        """sys_created_on and sys_updated_on for a record created at ``created``.

        ``touched`` is a later change the record must show (e.g. its retirement).
        """
        created = min(created, self.end)
        roll = self.rng.random()
        if roll < 0.35:
            later = [b for b in self.bulk[-8:] if b >= created]
            updated = self.rng.choice(later) if later else created
        elif roll < 0.55:
            updated = created
        else:
            updated = created + self.rng.randrange(0, self.end - created + 1)
        if touched is not None and touched > updated:
            updated = min(touched, self.end)
        return fmt_ts(created), fmt_ts(updated)

    def day_time(self, day: date) -> int:
        """A working-hours second of ``day``."""
        return epoch(day) + self.rng.randrange(7 * 3600, 19 * 3600)

    def add(
        self, table: str, record: Record, created: int | None = None, touched: int | None = None
    ) -> Record:
        """Complete a record with its system fields and empty columns, and store it."""
        if "sys_id" not in record:
            record["sys_id"] = self.sys_id()
        if created is None:
            created = self.bulk[0] if self.rng.random() < 0.6 else self.day_time(GO_LIVE)
        record["sys_created_on"], record["sys_updated_on"] = self.stamps(created, touched)
        for column in TABLES_BY_NAME[table].columns:
            record.setdefault(column, "")
        for column in EXTRA_FIELDS.get(table, ()):
            record.setdefault(column, "")
        self.tables[table].append(record)
        return record

    def rand_day(self, start: date, end: date) -> date:
        return date.fromordinal(self.rng.randrange(start.toordinal(), end.toordinal() + 1))


def add_years(day: date, years: float) -> date:
    months = round(years * 12)
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def money(value: float) -> str:
    return f"{value:.2f}"


def town_weights() -> list[float]:
    """Relative size of each town's administration (Nantes's is large, not proportional)."""
    return [t.population**0.85 for t in catalog.TOWNS]
