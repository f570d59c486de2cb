"""The encoded-query parser and evaluator, without HTTP."""

from __future__ import annotations

from connectors.servicenow.fake.query import (
    Condition,
    compile_query,
    literal,
    lower_bound,
    parse,
    sort_key,
)

ROWS = [
    {"sys_id": "a", "n": "1", "s": "x"},
    {"sys_id": "b", "n": "2", "s": ""},
    {"sys_id": "c", "n": "3", "s": "y"},
]


def run(text: str) -> list[str]:
    query = parse(text)
    predicate = compile_query(query, lambda f: (lambda r: r[f]) if f in ROWS[0] else None)
    return [r["sys_id"] for r in ROWS if predicate(r)]


def test_or_binds_tighter_than_and() -> None:
    assert run("n=1^ORn=3^s=y") == ["c"]
    assert run("n=1^NQn=3^s=y") == ["a", "c"]


def test_parts_are_parsed() -> None:
    query = parse("nIN1,2^sISEMPTY^ORDERBYDESCn^ORDERBYs")
    assert query.branches == [[[Condition("n", "IN", "1,2")], [Condition("s", "ISEMPTY", "")]]]
    assert query.order == [("n", True), ("s", False)]
    assert sort_key(query.order) == (("n", True), ("s", False), ("sys_id", False))


def test_empty_values_never_compare() -> None:
    assert run("s<z") == ["a", "c"]
    assert run("s!=x") == ["b", "c"]


def test_unknown_fields_and_garbage_are_ignored() -> None:
    assert run("nope=1") == ["a", "b", "c"]
    assert run("n=2^%%%") == ["b"]
    assert run("") == ["a", "b", "c"]


def test_date_generate() -> None:
    assert literal("javascript:gs.dateGenerate('2026-03-01','10:15:00')") == "2026-03-01 10:15:00"
    assert literal("javascript:gs.dateGenerate('2026-03-01','end')") == "2026-03-01 23:59:59"
    assert literal("2026-03-01") == "2026-03-01"


def test_lower_bound_for_keyset_queries() -> None:
    keyset = parse("u>2026-01-01 00:00:00^NQu=2026-01-01 00:00:00^sys_id>abc")
    assert lower_bound(keyset, "u") == ("2026-01-01 00:00:00", True)
    assert lower_bound(parse("u>5^u>=7"), "u") == ("7", True)
    assert lower_bound(parse("u>5"), "u") == ("5", False)
    assert lower_bound(parse("u>5^NQs=1"), "u") is None
    assert lower_bound(parse("u>5^ORu<2"), "u") is None
