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
        ("Computer", "desktop"),
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
