"""An independent computation of the footprint, in plain Python, for the end-to-end tests.

It reads the same inputs the warehouse reads (the fake instance's records and the factor tables
written to the lake) and applies DESIGN.md's methodology with no SQL, so a mistake in a dbt
model shows up as a difference in totals.
"""

from __future__ import annotations

import calendar
import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[2]
EMBODIED_STAGES = ("manufacturing", "distribution", "end_of_life")
LEFT_FLEET = {"disposed", "sold", "donated", "vendor_credit", "lost", "stolen"}
DATA_CENTRE_CATEGORIES = {"server_rack", "server_blade", "server_tower", "storage_array"}
LEVEL_RANK = {"configuration": 1, "model": 2, "manufacturer_category": 3, "category": 4}


@dataclass
class Factor:
    factor_id: str
    value: float
    valid_from: date
    valid_to: date | None
    precedence: int


def add_months(day: date, months: int) -> date:
    """Calendar addition, the day clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def amortised_shares(acquired: date, window_end: date, disposed: date | None) -> dict[int, float]:
    """Year -> share of the embodied impact (DESIGN.md, `amortised`)."""
    window_days = (window_end - acquired).days
    if disposed is not None and disposed < window_end:
        last_year = disposed.year
    else:
        last_year = (window_end - timedelta(days=1)).year
    shares = {}
    for year in range(acquired.year, last_year + 1):
        start = max(acquired, date(year, 1, 1))
        end = window_end if year == last_year else min(window_end, date(year + 1, 1, 1))
        shares[year] = (end - start).days / window_days
    return shares


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


class ReferenceFootprint:
    """Footprint totals per (method, year, stage) for one criterion, and per asset."""

    def __init__(
        self,
        records: dict[str, list[dict[str, str]]],
        factor_dir: Path,
        as_of: date,
        criterion: str = "climate_change",
    ) -> None:
        self.records, self.as_of, self.criterion = records, as_of, criterion
        factors = pl.read_parquet(factor_dir / "emission_factors.parquet").filter(
            pl.col("criterion") == criterion
        )
        self.factors: dict[tuple[str, str, str], list[Factor]] = defaultdict(list)
        for row in factors.iter_rows(named=True):
            self.factors[(row["scope"], row["key"], row["stage"])].append(
                Factor(
                    row["factor_id"],
                    row["value"],
                    row["valid_from"],
                    row["valid_to"],
                    row["precedence"],
                )
            )
        self.parameters = pl.read_parquet(factor_dir / "parameters.parquet")
        self.model_matches = {
            row["model_id"]: row
            for row in pl.read_parquet(factor_dir / "model_matches.parquet").iter_rows(named=True)
        }
        self.configurations = {
            row["asset_id"]: row["configuration_key"]
            for row in pl.read_parquet(factor_dir / "configuration_matches.parquet").iter_rows(
                named=True
            )
        }
        with open(REPO / "dbt_project" / "seeds" / "country_codes.csv", encoding="utf-8") as f:
            self.country_codes = {
                row["country_name"]: row["country_code"] for row in csv.DictReader(f)
            }
        self.locations = {row["sys_id"]: row for row in records["cmn_location"]}
        self.companies = {row["sys_id"]: row for row in records["core_company"]}

    def _parameter(self, name: str, model_key: str | None, category: str | None) -> float | None:
        rows = self.parameters.filter(pl.col("parameter") == name)
        for scope, key in (("model", model_key), ("category", category)):
            if key is None:
                continue
            found = rows.filter((pl.col("scope") == scope) & (pl.col("key") == key)).sort(
                ["precedence", "valid_from"], descending=[False, True]
            )
            if found.height:
                return found["value"][0]
        return None

    def _lifetime(self, match: dict) -> float | None:
        rows = self.parameters.filter(pl.col("parameter") == "lifetime_years")
        for scope, key in (
            ("model", match["lifetime_key"]),
            ("category", match["device_category"]),
        ):
            found = rows.filter((pl.col("scope") == scope) & (pl.col("key") == key)).sort(
                ["precedence", "valid_from"], descending=[False, True]
            )
            if found.height:
                return found["value"][0]
        return None

    def _embodied_factor(
        self, asset: dict, match: dict | None, stage: str, on: date
    ) -> Factor | None:
        candidates = []
        configuration = self.configurations.get(asset["sys_id"])
        if configuration:
            candidates.append(("configuration", configuration))
        if match and match["match_level"] in ("model", "manufacturer_category"):
            candidates.append((match["match_level"], match["factor_key"]))
        if match and match["device_category"]:
            candidates.append(("category", match["device_category"]))
        ranked = [
            (
                0 if f.valid_from <= on and (f.valid_to is None or f.valid_to >= on) else 1,
                LEVEL_RANK[scope],
                f.precedence,
                -f.valid_from.toordinal(),
                f,
            )
            for scope, key in candidates
            for f in self.factors.get((scope, key, stage), [])
            if f.value is not None  # a not_covered row states a gap, it gives no figure
        ]
        return min(ranked, key=lambda item: item[:4])[4] if ranked else None

    def _grid(self, country: str, year: int) -> float:
        rows = self.factors[("grid", country, "use")]
        start, next_start = date(year, 1, 1), date(year + 1, 1, 1)

        def rank(f: Factor) -> tuple:
            if f.valid_from < next_start and (f.valid_to is None or f.valid_to >= start):
                coverage = 0
            elif f.valid_from < next_start:
                coverage = 1
            else:
                coverage = 2
            return (coverage, f.precedence, -f.valid_from.toordinal())

        return min(rows, key=rank).value

    def _country(self, asset: dict) -> str:
        location = self.locations.get(asset["location"])
        company = self.companies.get(asset["company"])
        for holder in (location, company):
            if holder and holder.get("country") in self.country_codes:
                return self.country_codes[holder["country"]]
        return "FR"

    def compute(self) -> tuple[dict[tuple[str, int, str], float], dict[str, float]]:
        """Totals per (method, year, stage), and each asset's whole embodied impact E."""
        totals: dict[tuple[str, int, str], float] = defaultdict(float)
        embodied: dict[str, float] = {}
        for asset in self.records["alm_hardware"]:
            match = self.model_matches.get(asset["model"])
            acquired = (
                _day(asset["purchase_date"])
                or _day(asset["install_date"])
                or _day(asset["sys_created_on"])
            )
            left = asset["install_status"] == "7" or asset["substatus"] in LEFT_FLEET
            disposed = None
            if left:
                disposed = max(_day(asset["retired"]) or _day(asset["sys_updated_on"]), acquired)
            lifetime = self._lifetime(match) if match else None
            if lifetime is not None:
                window_end = add_months(acquired, max(round(lifetime * 12), 1))
                shares = amortised_shares(acquired, window_end, disposed)
                whole = 0.0
                for stage in EMBODIED_STAGES:
                    factor = self._embodied_factor(asset, match, stage, acquired)
                    if factor is None:
                        continue
                    whole += factor.value
                    for year, share in shares.items():
                        totals[("amortised", year, stage)] += factor.value * share
                    if stage != "end_of_life":
                        totals[("acquisition", acquired.year, stage)] += factor.value
                    elif disposed is not None:
                        totals[("acquisition", disposed.year, stage)] += factor.value
                embodied[asset["sys_id"]] = whole
            has_use = bool(asset["install_date"]) or asset["install_status"] in ("1", "3")
            if not has_use or match is None:
                continue
            kwh = self._parameter("annual_energy_kwh", match["model_key"], match["device_category"])
            if kwh is None:
                continue
            if match["device_category"] in DATA_CENTRE_CATEGORIES:
                kwh *= self._default_pue()
            start = _day(asset["install_date"]) or acquired
            end = disposed if disposed is not None and disposed < self.as_of else self.as_of
            if asset["install_status"] not in ("1", "3"):
                # Its one landed version says it left use when it was last updated.
                end = min(end, _day(asset["sys_updated_on"]))
            country = self._country(asset)
            for year in range(start.year, end.year + 1):
                low, high = max(start, date(year, 1, 1)), min(end, date(year + 1, 1, 1))
                if high <= low:
                    continue
                year_days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
                value = kwh * (high - low).days / year_days * self._grid(country, year)
                for method in ("amortised", "acquisition"):
                    totals[(method, year, "use")] += value
        return dict(totals), embodied

    def _default_pue(self) -> float:
        rows = self.parameters.filter(
            (pl.col("parameter") == "pue")
            & (pl.col("scope") == "datacentre")
            & (pl.col("key") == "default")
        ).sort(["precedence", "valid_from"], descending=[False, True])
        return rows["value"][0]
