"""Model names and categories: normalised keys, aliases, and the most specific factor per model.

A model key is ``"<manufacturer>|<model>"`` where the manufacturer is a canonical name from
``data/manufacturers.csv`` ("HP Inc.", "Hewlett-Packard" -> ``hp``) and the model is lower
case, without punctuation, without the manufacturer repeated ("Dell Latitude 5440" ->
``latitude 5440``), without product-type words ("server", "notebook pc", "monitor"), and with
generation suffixes written one way ("G9", "Gen 9", "9th Gen" -> ``gen9``).

ServiceNow's stock model category "Computer" holds laptops and desktops alike: such a model is
a laptop or a desktop when its name says so (``data/computer_names.csv``: Latitude, ThinkPad ->
laptop; OptiPlex, iMac -> desktop), else it keeps the category ``computer`` and the dbt decides
per asset from the CMDB (``cmdb_ci_computer.form_factor``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factors.csv_files import read_csv
from factors.schema import COMPUTER_CATEGORIES, DEVICE_CATEGORIES, UNDECIDED_CATEGORY
from factors.validation import FactorValidationError

DATA_DIR = Path(__file__).parent / "data"
CATEGORIES_FILE = "categories.csv"
MANUFACTURERS_FILE = "manufacturers.csv"
COMPUTER_NAMES_FILE = "computer_names.csv"
ALIAS_FILES: tuple[str, ...] = (CATEGORIES_FILE, MANUFACTURERS_FILE, COMPUTER_NAMES_FILE)

# Words that name the product type rather than the model; dropped from model keys.
_TYPE_WORDS = frozenset(
    {
        "notebook",
        "pc",
        "server",
        "monitor",
        "laptop",
        "desktop",
        "computer",
        "business",
        "thin",
        "client",
        "smartphone",
        "tablet",
        "projector",
        "printer",
        "switch",
        "phone",
        "inch",
        "in",
        "the",
    }
)
_ORDINAL_GENERATION = re.compile(r"\b(\d+)(?:st|nd|rd|th)\s+gen(?:eration)?\b")
_GENERATION = re.compile(r"\b(?:gen(?:eration)?|g)\s*(\d+)\b")


def normalise_text(text: str | None) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = re.sub(r"[^a-z0-9+]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Aliases:
    """Manufacturer and category aliases (shipped, plus the organisation's additions)."""

    manufacturers: dict[str, str]
    categories: dict[str, str]
    computer_names: dict[str, str]

    def manufacturer(self, name: str | None) -> str:
        """The canonical manufacturer for a name, else the normalised name itself."""
        text = normalise_text(name)
        return self.manufacturers.get(text, text.split(" ")[0] if text else "")

    def category(self, name: str | None) -> str | None:
        """The device category code for a ServiceNow model category name, or None."""
        text = normalise_text(name)
        if text.replace(" ", "_") in DEVICE_CATEGORIES:
            return text.replace(" ", "_")
        return self.categories.get(text)

    def categorise(
        self, category_name: str | None, model: str | None
    ) -> tuple[str | None, str | None]:
        """(device category, where it comes from) for a model: its ServiceNow category, else
        for the stock "Computer" category the model's name, else ``computer`` undecided."""
        category = self.category(category_name)
        if category is None:
            return None, None
        if category != UNDECIDED_CATEGORY:
            return category, "model_category"
        text = f" {normalise_text(model)} "
        named = {decided for word, decided in self.computer_names.items() if f" {word} " in text}
        if len(named) == 1:
            return named.pop(), "model_name"
        return UNDECIDED_CATEGORY, "undecided"

    def model_key(self, manufacturer: str | None, model: str | None) -> str:
        """The normalised ``manufacturer|model`` key."""
        canonical = self.manufacturer(manufacturer)
        return f"{canonical}|{self.model_name(canonical, model)}"

    def model_name(self, canonical_manufacturer: str, model: str | None) -> str:
        """The normalised model part of a key."""
        text = normalise_text(model)
        text = _ORDINAL_GENERATION.sub(r"gen\1", text)
        text = _GENERATION.sub(r"gen\1", text)
        words = text.split()
        # Drop a leading manufacturer name or alias ("Dell Latitude 5440", "HP EliteBook").
        for alias, canonical in sorted(self.manufacturers.items(), key=lambda a: -len(a[0])):
            alias_words = alias.split()
            if canonical == canonical_manufacturer and words[: len(alias_words)] == alias_words:
                words = words[len(alias_words) :]
                break
        return " ".join(word for word in words if word not in _TYPE_WORDS)


def compact(key: str) -> str:
    """A key without spaces, to match "think pad t14" with "thinkpad t14"."""
    return key.replace(" ", "")


def load_aliases(extra_dirs: Iterable[Path] = ()) -> Aliases:
    """Shipped aliases, extended by any ``categories.csv`` / ``manufacturers.csv`` /
    ``computer_names.csv`` found in ``extra_dirs`` (the organisation's overrides folder)."""
    manufacturers: dict[str, str] = {}
    categories: dict[str, str] = {}
    computer_names: dict[str, str] = {}
    for folder in (DATA_DIR, *extra_dirs):
        for row in _read(Path(folder) / MANUFACTURERS_FILE, ("manufacturer", "alias")):
            canonical = normalise_text(row["manufacturer"])
            manufacturers[normalise_text(row["alias"])] = canonical
            manufacturers.setdefault(canonical, canonical)
        known = (*DEVICE_CATEGORIES, UNDECIDED_CATEGORY)
        for row in _read(Path(folder) / CATEGORIES_FILE, ("device_category", "alias"), known):
            categories[normalise_text(row["alias"])] = row["device_category"]
        path = Path(folder) / COMPUTER_NAMES_FILE
        for row in _read(path, ("device_category", "word"), COMPUTER_CATEGORIES):
            computer_names[normalise_text(row["word"])] = row["device_category"]
    return Aliases(manufacturers, categories, computer_names)


@dataclass(frozen=True)
class ModelMatch:
    """Which factor an asset model gets, and how specific it is."""

    model_key: str
    device_category: str | None
    factor_key: str | None
    match_level: str
    lifetime_key: str | None
    category_source: str | None


def match_model(
    aliases: Aliases,
    manufacturer: str | None,
    model: str | None,
    category_name: str | None,
    model_keys: set[str],
    manufacturer_category_keys: set[str],
    category_keys: set[str],
    lifetime_model_keys: set[str] = frozenset(),
) -> ModelMatch:
    """The most specific factor key: model > manufacturer|category > category > unmapped.

    A ``computer`` the name does not decide gets level ``category`` and no factor key: the dbt
    decides laptop or desktop per asset, then takes that category's factor."""
    key = aliases.model_key(manufacturer, model)
    category, source = aliases.categorise(category_name, model)
    by_compact = {compact(known): known for known in model_keys}
    lifetime_compact = {compact(known): known for known in lifetime_model_keys}
    model_factor = key if key in model_keys else by_compact.get(compact(key))
    lifetime_key = lifetime_compact.get(compact(key)) or category
    if model_factor:
        return ModelMatch(key, category, model_factor, "model", lifetime_key, source)
    if category == UNDECIDED_CATEGORY:
        return ModelMatch(key, category, None, "category", lifetime_key, source)
    pair = f"{aliases.manufacturer(manufacturer)}|{category}"
    if category and pair in manufacturer_category_keys:
        return ModelMatch(key, category, pair, "manufacturer_category", lifetime_key, source)
    if category and category in category_keys:
        return ModelMatch(key, category, category, "category", lifetime_key, source)
    return ModelMatch(key, category, None, "unmapped", lifetime_key, source)


def _read(
    path: Path, columns: tuple[str, ...], categories: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    """Rows of an alias file (none when it does not exist); any problem is an error."""
    if not path.exists():
        return []
    table = read_csv(path, columns)
    problems = list(table.problems)
    for row in table.rows:
        if categories is not None and row.values["device_category"] not in categories:
            category = row.values["device_category"]
            problems.append(row.problem("device_category", f"unknown category {category!r}"))
    if problems:
        raise FactorValidationError(problems)
    return [row.values for row in table.rows]
