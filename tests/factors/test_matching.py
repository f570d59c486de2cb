"""Model names match robustly: aliases, case, spacing, generation suffixes (real names)."""

from __future__ import annotations

import pytest

from factors.matching import compact, load_aliases, match_model


@pytest.fixture(scope="module")
def aliases():
    return load_aliases()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("HP Inc.", "HP EliteBook 840 G9"), ("Hewlett-Packard", "Elitebook 840 g9")),
        (("HP", "EliteBook 840 G9 Notebook PC"), ("HP Inc", "EliteBook 840 Gen 9")),
        (("Dell Inc.", "Latitude 5440"), ("Dell", "Dell Latitude 5440")),
        (("Dell Technologies", "PowerEdge  R740"), ("Dell Inc.", "poweredge r740")),
        (("Lenovo", "ThinkPad T14 Gen 3"), ("Lenovo Group", "ThinkPad T14 3rd Gen")),
        (("Lenovo", "ThinkPad T14 Gen 3"), ("Lenovo", "THINKPAD T14 GEN3")),
        (
            ("Hewlett Packard Enterprise", "ProLiant DL380 Gen10"),
            ("HPE", "ProLiant DL380 Gen10 server"),
        ),
        (("Apple", 'MacBook Air 13" M2'), ("Apple Inc.", "MacBook Air 13-inch M2")),
        (("Dell Inc.", "P2419H"), ("Dell", "P2419H Monitor")),
        (("Cisco Systems", "Catalyst 9300-48P"), ("Cisco", "Catalyst 9300 48P")),
        (("Seiko Epson Corporation", "EB-W49"), ("Epson", "EB W49")),
    ],
)
def test_same_model_same_key(aliases, first, second) -> None:
    assert aliases.model_key(*first) == aliases.model_key(*second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("HP Inc.", "EliteBook 840 G9"), ("HP Inc.", "EliteBook 840 G10")),
        (("HP Inc.", "EliteBook 840 G9"), ("Hewlett Packard Enterprise", "EliteBook 840 G9")),
        (("Dell Inc.", "PowerEdge R740"), ("Dell Inc.", "PowerEdge R740XD")),
        (("Lenovo", "ThinkPad T14 Gen 3"), ("Lenovo", "ThinkPad T14 Gen 4")),
    ],
)
def test_different_models_different_keys(aliases, first, second) -> None:
    assert aliases.model_key(*first) != aliases.model_key(*second)


def test_keys_are_readable(aliases) -> None:
    assert aliases.model_key("HP Inc.", "HP EliteBook 840 G9") == "hp|elitebook 840 gen9"
    assert aliases.model_key("Dell Inc.", "Dell Latitude 5440") == "dell|latitude 5440"


def test_spacing_differences_match_through_compact_keys(aliases) -> None:
    known = {aliases.model_key("Lenovo", "ThinkPad T14 Gen 3")}
    match = match_model(
        aliases, "Lenovo", "Think Pad T14 Gen 3", "Laptop", known, set(), {"laptop"}
    )
    assert match.match_level == "model" and match.factor_key == "lenovo|thinkpad t14 gen3"
    assert compact("think pad t14") == compact("thinkpad t14")


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Laptop", "laptop"),
        ("Notebook", "laptop"),
        ("Computer", "computer"),
        ("Personal Computer", "computer"),
        ("Monitor", "screen"),
        ("Mobile Phone", "smartphone"),
        ("Network Gear", "network_switch"),
        ("Wireless access point", "wifi_access_point"),
        ("Rack server", "server_rack"),
        ("Multifunction printer", "multifunction_printer"),
        ("IP phone", "ip_phone"),
        ("Thin client", "thin_client"),
        ("Storage array", "storage_array"),
        ("laptop", "laptop"),
    ],
)
def test_servicenow_category_names(aliases, name: str, category: str) -> None:
    assert aliases.category(name) == category


def test_match_levels_in_order(aliases) -> None:
    models = {"dell|latitude 5490"}
    pairs = {"dell|laptop"}
    categories = {"laptop"}
    assert (
        match_model(
            aliases, "Dell Inc.", "Latitude 5490", "Laptop", models, pairs, categories
        ).match_level
        == "model"
    )
    assert (
        match_model(
            aliases, "Dell Inc.", "Latitude 5440", "Laptop", models, pairs, categories
        ).match_level
        == "manufacturer_category"
    )
    assert (
        match_model(
            aliases, "Lenovo", "ThinkPad T14", "Laptop", models, pairs, categories
        ).match_level
        == "category"
    )
    unknown = match_model(aliases, "Logitech", "MX Keys", "Keyboard", models, pairs, categories)
    assert unknown.match_level == "unmapped" and unknown.device_category is None


def test_organisation_can_extend_aliases(tmp_path) -> None:
    (tmp_path / "categories.csv").write_text("device_category,alias\nlaptop,Portable agent\n")
    (tmp_path / "manufacturers.csv").write_text("manufacturer,alias\ndell,Dell France SAS\n")
    extended = load_aliases([tmp_path])
    assert extended.category("Portable agent") == "laptop"
    assert extended.model_key("Dell France SAS", "Latitude 5440") == "dell|latitude 5440"


@pytest.mark.parametrize(
    ("name", "category", "source"),
    [
        ("Latitude 5440", "laptop", "model_name"),
        ("HP EliteBook 840 G9", "laptop", "model_name"),
        ("ThinkPad T14 Gen 3", "laptop", "model_name"),
        ('MacBook Air 13" M2', "laptop", "model_name"),
        ("OptiPlex 7060 Micro Form Factor", "desktop", "model_name"),
        ("EliteDesk 800 G6", "desktop", "model_name"),
        ("ThinkCentre M70q", "desktop", "model_name"),
        ("iMac 24", "desktop", "model_name"),
        ("Precision 3520", "computer", "undecided"),  # Precision is a laptop and a tower line
        ("Vostro 3910", "computer", "undecided"),
        ("ThinkPad Tower", "computer", "undecided"),  # both kinds named: the name decides nothing
    ],
)
def test_stock_computer_category_is_decided_by_the_model_name(
    aliases, name: str, category: str, source: str
) -> None:
    assert aliases.categorise("Computer", name) == (category, source)


def test_other_categories_come_from_the_model_category(aliases) -> None:
    # A laptop-sounding name under a screen category stays a screen: names decide computers only.
    assert aliases.categorise("Monitor", "Latitude dock display") == ("screen", "model_category")
    assert aliases.categorise("Keyboard", "Latitude 5440") == (None, None)


def test_undecided_computer_is_left_to_the_dbt_not_unmapped(aliases) -> None:
    keys = {"laptop", "desktop"}
    pairs = {"dell|laptop", "dell|desktop"}
    undecided = match_model(aliases, "Dell Inc.", "Precision 3520", "Computer", set(), pairs, keys)
    assert (undecided.device_category, undecided.category_source) == ("computer", "undecided")
    assert (undecided.match_level, undecided.factor_key) == ("category", None)
    decided = match_model(aliases, "Dell Inc.", "Latitude 5440", "Computer", set(), pairs, keys)
    assert (decided.device_category, decided.category_source) == ("laptop", "model_name")
    assert (decided.match_level, decided.factor_key) == ("manufacturer_category", "dell|laptop")
    known = match_model(
        aliases, "Dell Inc.", "Precision 3520", "Computer", {"dell|precision 3520"}, pairs, keys
    )
    assert (known.match_level, known.factor_key) == ("model", "dell|precision 3520")
    assert known.device_category == "computer"


def test_organisation_can_add_computer_names(tmp_path) -> None:
    (tmp_path / "computer_names.csv").write_text("device_category,word\nlaptop,Vostro\n")
    extended = load_aliases([tmp_path])
    assert extended.categorise("Computer", "Vostro 3910") == ("laptop", "model_name")
    (tmp_path / "computer_names.csv").write_text("device_category,word\ntoaster,Vostro\n")
    from factors.validation import FactorValidationError

    with pytest.raises(FactorValidationError, match=r"computer_names.csv:2: device_category"):
        load_aliases([tmp_path])
