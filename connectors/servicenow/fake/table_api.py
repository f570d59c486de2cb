"""Routing and the Table, Aggregate and OAuth endpoints of the fake instance.

Kept apart from the HTTP plumbing (``server.py``) so the ServiceNow behaviour reads on its own.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

from connectors.servicenow.fake import query as encoded
from connectors.servicenow.fake.display import display_value
from connectors.servicenow.fake.generator import EXTRA_FIELDS
from connectors.servicenow.fake.store import Record, references
from connectors.servicenow.tables import TABLES_BY_NAME

if TYPE_CHECKING:
    from connectors.servicenow.fake.server import FakeInstance

_TABLE_PATH = re.compile(r"^/api/now/(?:(v[12])/)?table/([^/]+)(?:/([^/]+))?/?$")
_STATS_PATH = re.compile(r"^/api/now/(?:v[12]/)?stats/([^/]+)/?$")
CANCELLED = "Transaction cancelled: maximum execution time exceeded"
_CANCEL_DETAIL = (
    f"{CANCELLED} Check logs for error trace or enable glide.rest.debug property "
    "to verify REST request processing"
)


class HttpError(Exception):
    """An error answered with ServiceNow's envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail
        self.headers = headers or {}


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False  # close the socket without answering
    delay: float = 0.0  # sleep before answering


def _json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def route(
    instance: FakeInstance,
    method: str,
    path: str,
    params: dict[str, str],
    body: bytes,
    headers: Mapping[str, str],
) -> Answer:
    """Answer one request, or raise HttpError."""
    if instance.processes > 1 and method != "GET":
        raise HttpError(
            405,
            f"Method not allowed: this fake serves reads from {instance.processes} processes",
            "a write or a token would reach one of them only",
        )
    if path == "/oauth_token.do" and method == "POST":
        form = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
        return Answer(body=_json(instance.oauth(form)))
    user = instance.authenticate(headers.get("Authorization"))
    limits = instance.rate_limit(user)
    try:
        answer = _dispatch(instance, method, path, params, body)
    except HttpError as error:
        error.headers = {**limits, **error.headers}
        raise
    answer.headers = {**limits, **answer.headers}
    return answer


def _dispatch(
    instance: FakeInstance, method: str, path: str, params: dict[str, str], body: bytes
) -> Answer:
    stats = _STATS_PATH.match(path)
    if stats and method == "GET":
        table = _table(instance, stats.group(1))
        count = sum(1 for _ in _select(instance, table, params.get("sysparm_query", "")))
        return Answer(body=_json({"result": {"stats": {"count": str(count)}}}))
    match = _TABLE_PATH.match(path)
    if not match:
        raise HttpError(400, "Requested URI does not represent any resource")
    version, name, sys_id = match.groups()
    table = _table(instance, name)
    if method == "GET" and sys_id is None:
        return _list(instance, table, version, path, params)
    if method == "GET":
        record = instance.store.get(table, sys_id)
        if record is None or sys_id in instance.hidden:
            raise HttpError(
                404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval"
            )
        return Answer(body=_json({"result": _render(instance, table, [record], params)[0]}))
    if method in ("PATCH", "PUT") and sys_id is not None:
        if instance.store.get(table, sys_id) is None:
            raise HttpError(404, "No Record found", "Record doesn't exist")
        record = instance.store.update(table, sys_id, _writable(table, body))
        return Answer(body=_json({"result": _render(instance, table, [record], params)[0]}))
    if method == "POST" and sys_id is None:
        record = instance.store.insert(table, _writable(table, body))
        return Answer(201, _json({"result": _render(instance, table, [record], params)[0]}))
    if method == "DELETE" and sys_id is not None:
        if instance.store.get(table, sys_id) is None:
            raise HttpError(404, "No Record found", "Record doesn't exist")
        instance.store.delete(table, sys_id)
        return Answer(204)
    raise HttpError(405, "Method not Supported", f"{method} is not supported on {path}")


def _table(instance: FakeInstance, name: str) -> str:
    if name not in TABLES_BY_NAME:
        raise HttpError(400, f"Invalid table {name}")
    return name


def _writable(table: str, body: bytes) -> dict[str, str]:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise HttpError(
            400, "Exception while reading request", "The payload is not valid JSON."
        ) from None
    known = _known_fields(table)
    return {k: "" if v is None else str(v) for k, v in payload.items() if k in known}


@cache
def _known_fields(table: str) -> frozenset[str]:
    return frozenset(TABLES_BY_NAME[table].columns) | frozenset(EXTRA_FIELDS.get(table, ()))


def _getter(instance: FakeInstance, table: str) -> Callable[[str], Callable[[Record], str] | None]:
    """Field readers for ``table``, dot-walking references (``model.name``)."""
    known = _known_fields(table)
    lookup = instance.store.lookup

    def getter(name: str) -> Callable[[Record], str] | None:
        if name in known:
            return lambda r: r.get(name, "")
        head, _, rest = name.partition(".")
        target = references(table).get(head)
        if not rest or target is None:
            return None
        inner = _getter(instance, target)(rest)
        if inner is None:
            return None

        def walk(record: Record) -> str:
            found = lookup(record.get(head, ""))
            return inner(found[1]) if found else ""

        return walk

    return getter


def _select(instance: FakeInstance, table: str, text: str) -> Iterator[Record]:
    """The rows matching an encoded query, in its order (sys_id breaking ties), found as they
    are taken: a page asked for without its count reads up to its own last row, as an indexed
    query on a real instance does, not the rest of the table."""
    parsed = encoded.parse(text)
    known = _known_fields(table)
    order = encoded.sort_key([(f, d) for f, d in parsed.order if f in known])
    rows, keys = instance.store.sorted_rows(table, order)
    if not text:
        return iter(rows)
    first, descending = order[0]
    bound = None if descending else encoded.lower_bound(parsed, first)
    start = 0
    if bound is not None:
        value, inclusive = bound
        start = (bisect_left if inclusive else bisect_right)(keys, value)
    predicate = encoded.compile_query(parsed, _getter(instance, table))
    return filter(predicate, islice(rows, start, None))


def _limit(params: dict[str, str], name: str, default: int) -> int:
    try:
        return max(0, int(params.get(name, default)))
    except ValueError:
        return default


def _list(
    instance: FakeInstance, table: str, version: str | None, path: str, params: dict[str, str]
) -> Answer:
    limit = _limit(params, "sysparm_limit", instance.default_limit)
    offset = _limit(params, "sysparm_offset", 0)
    number = instance.next_list_request()
    fault = instance.faults.decide(number, limit)
    if fault == "reset":
        return Answer(reset=True)
    if fault == "429":
        retry = str(instance.faults.retry_after)
        raise HttpError(
            429,
            "Too many requests",
            "The REST semaphore queue is full",
            headers={"Retry-After": retry},
        )
    if fault in ("500", "502", "503"):
        raise HttpError(
            int(fault),
            "Internal server error" if fault == "500" else "Service unavailable",
            f"Injected fault {fault}",
        )
    if fault == "cancel":
        raise HttpError(500, CANCELLED, _CANCEL_DETAIL)

    query = params.get("sysparm_query", "")
    matches = _select(instance, table, query)
    # The total goes out in X-Total-Count and the Link header unless both are declined, as the
    # connector's pages decline them; then the page costs only the rows up to its own.
    send_count = params.get("sysparm_no_count") != "true"
    send_links = params.get("sysparm_suppress_pagination_header") != "true"
    total: int | None = None
    if send_count or send_links:
        found = list(matches)
        total, page = len(found), found[offset : offset + limit]
    else:
        page = list(islice(matches, offset, offset + limit))
    # v1 answers "No Record found" when nothing matches: without the count, when the page is
    # empty and no row matches from the start either.
    if total is not None:
        nothing_matched = total == 0
    else:
        nothing_matched = not page and (
            not offset or next(_select(instance, table, query), None) is None
        )
    # ACLs filter after the limit: the page comes back short while more rows follow.
    if instance.hidden:
        page = [r for r in page if r["sys_id"] not in instance.hidden]
    if fault == "acl_short":
        ratio = instance.faults.acl_ratio
        page = [r for i, r in enumerate(page) if (i * 7919) % 1000 >= ratio * 1000]
    if version == "v1" and nothing_matched:
        raise HttpError(
            404,
            "No Record found",
            "Records matching query not found. Check query parameter or offset parameter",
        )
    headers: dict[str, str] = {}
    if send_count:
        headers["X-Total-Count"] = str(total)
    if send_links:
        link = link_header(instance.url + path, params, offset, limit, total)
        if link:
            headers["Link"] = link
    rendered = _render(instance, table, page, params)
    if fault == "cancel_body":
        # The real instance sometimes breaks a 200 body off into the cancellation error.
        head = _json(rendered[: len(rendered) // 2])[:-1]
        error = _json(
            {"error": {"message": CANCELLED, "detail": _CANCEL_DETAIL}, "status": "failure"}
        )
        return Answer(200, b'{"result":' + head + b"," + error, headers)
    body = _json({"result": rendered})
    if fault == "truncate":
        body = body[: max(1, len(body) // 2)]
    return Answer(
        200, body, headers, delay=instance.faults.slow_seconds if fault == "slow" else 0.0
    )


def _render(
    instance: FakeInstance, table: str, rows: list[Record], params: dict[str, str]
) -> list[dict[str, Any]]:
    """Rows as the API shows them: field list, display values, reference links."""
    mode = params.get("sysparm_display_value", "false").lower()
    with_links = params.get("sysparm_exclude_reference_link", "false").lower() != "true"
    requested = [f.strip() for f in params.get("sysparm_fields", "").split(",") if f.strip()]
    getter = _getter(instance, table)
    if requested:
        readers = [(f, reader) for f in dict.fromkeys(requested) if (reader := getter(f))]
    else:
        names = list(rows[0]) if rows else []
        readers = [(f, getter(f)) for f in names if getter(f)]
    refs = references(table)
    if (
        mode == "false"
        and (not with_links or not any(f in refs for f, _ in readers))
        and all("." not in f for f, _ in readers)
    ):
        return [{f: r.get(f, "") for f, _ in readers} for r in rows]  # the fast, common path
    base = instance.url + "/api/now/table/"
    lookup = instance.store.lookup
    # What each field ends on, worked out once per page (dot-walked fields: per row).
    plan = [(name, reader, "." in name, name in refs) for name, reader in readers]
    out = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, reader, walked, is_ref in plan:
            value = reader(row)
            leaf_table, leaf = table, name
            if walked:
                leaf_table, leaf = _leaf(instance, table, name, row)
                is_ref = bool(leaf_table) and leaf in references(leaf_table)
            shown: str | None = value
            if mode != "false" and leaf_table:
                shown = display_value(instance.store, leaf_table, leaf, value)
            if is_ref and value and with_links:
                target = lookup(value)
                link = base + (target[0] if target else references(leaf_table)[leaf]) + "/" + value
                if mode == "false":
                    item[name] = {"link": link, "value": value}
                elif mode == "true":
                    item[name] = {"display_value": shown, "link": link}
                else:
                    item[name] = {"display_value": shown, "link": link, "value": value}
            elif mode == "all":
                item[name] = {"display_value": shown, "value": value}
            else:
                item[name] = shown
        out.append(item)
    return out


def _leaf(instance: FakeInstance, table: str, name: str, row: Record) -> tuple[str, str]:
    """The table and field a (possibly dot-walked) field name ends on, for display values."""
    while "." in name:
        head, _, name = name.partition(".")
        table = references(table).get(head, "")
        found = instance.store.lookup(row.get(head, ""))
        if not table or not found:
            return "", name
        table, row = found
    return table, name


def link_header(base: str, params: dict[str, str], offset: int, limit: int, total: int) -> str:
    """ServiceNow's Link header for offset paging; "" when everything fits in one page."""
    if limit <= 0 or (total <= limit and offset == 0):
        return ""
    last = max(0, (total - 1) // limit * limit)

    def link(at: int, rel: str) -> str:
        return f'<{base}?{urlencode({**params, "sysparm_offset": str(at)})}>;rel="{rel}"'

    links = [link(0, "first")]
    if offset > 0:
        links.append(link(max(0, offset - limit), "prev"))
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    return ",".join(links)
