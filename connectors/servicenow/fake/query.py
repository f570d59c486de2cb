"""ServiceNow encoded queries: parse ``sysparm_query`` and evaluate it on string records.

Supported: ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``, ``IN``, ``NOT IN``, ``LIKE``,
``NOT LIKE``, ``STARTSWITH``, ``ENDSWITH``, ``ISEMPTY``, ``ISNOTEMPTY``, ``^`` (and), ``^OR``
(binds tighter than ``^``), ``^NQ`` (a new OR'ed query), ``ORDERBY<f>``, ``ORDERBYDESC<f>`` and
``javascript:gs.dateGenerate('yyyy-MM-dd','HH:mm:ss')`` values. Values compare as strings, which
is right for ServiceNow's ``YYYY-MM-DD HH:MM:SS`` date-times. Like the real instance, a part
that cannot be parsed, or that names an unknown field, is silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

Record = dict[str, str]
Getter = Callable[[Record], str]
Predicate = Callable[[Record], bool]

_CONDITION = re.compile(
    r"^([A-Za-z0-9_.]+?)(ISNOTEMPTY|ISEMPTY|NOT IN|NOT LIKE|STARTSWITH|ENDSWITH|LIKE|IN|!=|>=|<="
    r"|=|>|<)(.*)$",
    re.DOTALL,
)
_DATE_GENERATE = re.compile(
    r"^javascript:gs\.dateGenerate\(\s*'(\d{4}-\d{2}-\d{2})'\s*,\s*'([^']*)'\s*\)$"
)


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: str


@dataclass
class Query:
    """An encoded query: OR'ed branches of AND'ed groups of OR'ed conditions, and an order."""

    branches: list[list[list[Condition]]] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)


def literal(value: str) -> str:
    """The value a query literal stands for (``gs.dateGenerate`` becomes a date-time)."""
    match = _DATE_GENERATE.match(value.strip())
    if not match:
        return value
    day, clock = match.groups()
    clock = {"start": "00:00:00", "end": "23:59:59"}.get(clock, clock)
    return f"{day} {clock}"


def parse(encoded: str) -> Query:
    """Parse an encoded query; unparseable parts are dropped, as the real instance does."""
    query = Query()
    for branch_text in encoded.split("^NQ"):
        groups: list[list[Condition]] = []
        for part in branch_text.split("^"):
            if not part or part == "EQ":
                continue
            if part.startswith("ORDERBYDESC"):
                query.order.append((part[len("ORDERBYDESC") :], True))
                continue
            if part.startswith("ORDERBY"):
                query.order.append((part[len("ORDERBY") :], False))
                continue
            is_or = part.startswith("OR") and groups
            condition = _condition(part[2:] if is_or else part)
            if condition is None:
                continue
            if is_or:
                groups[-1].append(condition)
            else:
                groups.append([condition])
        query.branches.append(groups)
    return query


def _condition(text: str) -> Condition | None:
    match = _CONDITION.match(text)
    if not match:
        return None
    name, operator, value = match.groups()
    return Condition(name, operator, literal(value))


def compile_query(query: Query, getter: Callable[[str], Getter | None]) -> Predicate:
    """A predicate for ``query``; ``getter(field)`` gives a value reader or None if unknown."""
    branches = []
    for groups in query.branches:
        compiled_groups = []
        for alternatives in groups:
            tests = [t for t in (_test(c, getter) for c in alternatives) if t is not None]
            if tests:
                compiled_groups.append(tests)
        branches.append(compiled_groups)
    if not branches or any(not groups for groups in branches):
        return lambda record: True  # an empty branch matches everything

    def predicate(record: Record) -> bool:
        return any(
            all(any(test(record) for test in tests) for tests in groups) for groups in branches
        )

    return predicate


def _test(condition: Condition, getter: Callable[[str], Getter | None]) -> Predicate | None:
    read = getter(condition.field)
    if read is None:
        return None
    op, value = condition.operator, condition.value
    if op == "=":
        return lambda r: read(r) == value
    if op == "!=":
        return lambda r: read(r) != value
    # Empty values are NULL in the database: no ordering comparison holds for them.
    if op == ">":
        return lambda r: (v := read(r)) != "" and v > value
    if op == ">=":
        return lambda r: (v := read(r)) != "" and v >= value
    if op == "<":
        return lambda r: (v := read(r)) != "" and v < value
    if op == "<=":
        return lambda r: (v := read(r)) != "" and v <= value
    if op in ("IN", "NOT IN"):
        values = frozenset(value.split(","))
        if op == "IN":
            return lambda r: read(r) in values
        return lambda r: read(r) not in values
    if op == "LIKE":
        return lambda r: value in read(r)
    if op == "NOT LIKE":
        return lambda r: value not in read(r)
    if op == "STARTSWITH":
        return lambda r: read(r).startswith(value)
    if op == "ENDSWITH":
        return lambda r: read(r).endswith(value)
    if op == "ISEMPTY":
        return lambda r: read(r) == ""
    if op == "ISNOTEMPTY":
        return lambda r: read(r) != ""
    return None


def lower_bound(query: Query, name: str) -> tuple[str, bool] | None:
    """The smallest value of ``name`` a matching record can hold, as (value, inclusive).

    Lets the server skip, by bisection on rows sorted by ``name``, every row before the
    keyset watermark: a full keyset read then costs one pass over the table, not one per page.
    """
    bounds = []
    for groups in query.branches:
        best: tuple[str, bool] | None = None
        for alternatives in groups:
            condition = alternatives[0]
            if len(alternatives) > 1 or condition.field != name:
                continue
            if condition.operator not in (">", ">=", "="):
                continue
            candidate = (condition.value, condition.operator != ">")
            if best is None or (candidate[0], not candidate[1]) > (best[0], not best[1]):
                best = candidate
        if best is None:
            return None  # this branch admits any value
        bounds.append(best)
    return min(bounds, key=lambda b: (b[0], not b[1])) if bounds else None


def sort_key(order: list[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    """The full sort order: the requested one, then sys_id so every order is total and stable."""
    if not any(name == "sys_id" for name, _ in order):
        order = [*order, ("sys_id", False)]
    return tuple(order)
