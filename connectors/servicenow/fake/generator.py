"""The random stream, clock and record helpers every part of the metropolis is drawn with."""

from __future__ import annotations

import calendar
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from connectors.servicenow.fake import catalog
from connectors.servicenow.tables import TABLES, TABLES_BY_NAME

Record = dict[str, str]

# Fields the real instance holds but Empreinte never reads; tests prove they are not requested.
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "sys_user": ("user_name", "first_name", "last_name", "name", "email", "phone", "title"),
    "alm_hardware": ("serial_number", "assigned_to", "display_name"),
}

# Tables the instance holds but Empreinte does not extract, with their display field: the
# targets of some references. Their records exist (references hold their sys_ids, display
# values show their names) but the Table API does not serve them.
UNEXTRACTED: dict[str, str] = {
    "alm_stockroom_type": "name",
    "sc_category": "title",
    "sc_cat_item": "name",
}

# Stock relationship types with their base-system sys_ids (the same on every instance).
DEPENDS_ON = "1a9cb166f1571100a92eb60da2bce5c5"
RELATIONSHIP_TYPES: tuple[tuple[str, str, str], ...] = (
    (DEPENDS_ON, "Depends on", "Used by"),
    ("60bc4e22c0a8010e01f074cbe6bd73c3", "Runs on", "Runs"),
    ("55c95bf6c0a8010e0118ec7056ebc54d", "Contains", "Contained by"),
)

# The organisation's time zone: dates typed in the UI are local midnights, stored in UTC.
LOCAL_ZONE = ZoneInfo("Europe/Paris")

GO_LIVE = date(2018, 6, 11)  # the instance went live: reference data was imported then
FLEET_START = date(2015, 1, 1)


def epoch(day: date) -> int:
    return calendar.timegm(day.timetuple())


def fmt_ts(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


def parse_ts(text: str) -> int:
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


def local_moment(day: date, seconds: int = 0) -> str:
    """A date-time field's database value (UTC) for ``seconds`` past local midnight of ``day``:
    local midnight of 2021-03-04 in Paris is "2021-03-03 23:00:00"."""
    local = datetime(day.year, day.month, day.day, tzinfo=LOCAL_ZONE) + timedelta(seconds=seconds)
    return local.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S")


def local_day(value: str) -> date | None:
    """The local date of a date-time database value, None when empty."""
    if not value:
        return None
    moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(LOCAL_ZONE).date()


class Generator:
    """Holds the random stream, the clock bounds and the tables while they are built."""

    def __init__(self, seed: int, scale: float, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.as_of = as_of
        self.end = epoch(as_of) - 1  # every timestamp is strictly before as_of's midnight
        self.tables: dict[str, list[Record]] = {
            name: [] for name in (*(spec.name for spec in TABLES), *UNEXTRACTED)
        }
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
        spec = TABLES_BY_NAME.get(table)
        for column in spec.columns if spec else ():
            record.setdefault(column, "")
        for column in EXTRA_FIELDS.get(table, ()):
            record.setdefault(column, "")
        self.tables[table].append(record)
        return record

    def rand_day(self, start: date, end: date) -> date:
        return date.fromordinal(self.rng.randrange(start.toordinal(), end.toordinal() + 1))

    def typed_moment(self, day: date) -> str:
        """A date-time an agent set on ``day``: most often typed as a date (local midnight),
        else stamped during working hours."""
        if self.rng.random() < 0.7:
            return local_moment(day)
        return local_moment(day, self.rng.randrange(8 * 3600, 18 * 3600))


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
