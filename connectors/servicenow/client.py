"""A small Table API client: keyset pages, retries, rate limits, bounded concurrency.

Reading rule (documented in the README):

* Pages are ordered by ``(sys_updated_on, sys_id)``; the next page asks for rows strictly after
  the last row seen, so rows never shift between pages when others are inserted or deleted.
* A short page proves nothing (``sysparm_limit`` is applied before ACLs): the read goes on
  from the last visible row.
* An empty page ends the read, unless the instance says rows it hid remain: a ``Link``
  ``rel="next"`` header, or (probe with counting on) ``X-Total-Count`` larger than what this
  offset covered. Then the same keyset query is re-asked at the next offset until a visible row
  appears.
* Values from the instance never alter a query: a keyset position is used (and stored as a
  watermark) only if its cursor is a date-time ``YYYY-MM-DD HH:MM:SS`` and its key a sys_id
  (32 hex characters); anything else (``^NQ...``) stops the read with an error naming table,
  field and value.
* A refusal of the credentials or of access (401 after a token refresh, 403) raises
  ``AuthenticationError``: the whole extraction stops at once, with one message.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self

import orjson
import requests
import urllib3

from connectors.servicenow.auth import AuthenticationError, Authenticator, make_authenticator
from connectors.servicenow.rules import DATE_TIME_VALUE, SYS_ID_VALUE
from connectors.servicenow.settings import ServiceNowSettings

log = logging.getLogger("empreinte.connectors.servicenow")

TABLE_PATH = "/api/now/v2/table/{table}"
STATS_PATH = "/api/now/stats/{table}"
_CANCELLED = re.compile(r"transaction cancelled|maximum execution time", re.IGNORECASE)
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Longest wait honoured from Retry-After / X-RateLimit-Reset before failing instead.
MAX_RATE_LIMIT_WAIT_SECONDS = 900.0

# A keyset position: (sys_updated_on, sys_id) of the last row read.
Position = tuple[str, str]
_DATE_TIME = re.compile(DATE_TIME_VALUE)
_SYS_ID = re.compile(SYS_ID_VALUE)


class ServiceNowError(RuntimeError):
    """A request that failed for good; names the table and the URL path, never a secret."""


def check_position(
    table: str, position: Position, cursor: str = "sys_updated_on", key: str = "sys_id"
) -> Position:
    """The position, if both values are safe to put in an encoded query; else an error naming
    the table, the field and the value. An empty key is allowed (a lookback restart)."""
    moment, last_key = position
    if cursor != key and not _DATE_TIME.match(moment or ""):
        raise ServiceNowError(
            f"{table}: {cursor} {moment[:80]!r} is not a date-time YYYY-MM-DD HH:MM:SS; it is "
            "never used in a query nor saved as the watermark"
        )
    if (last_key or cursor == key) and not _SYS_ID.match(last_key or ""):
        raise ServiceNowError(
            f"{table}: {key} {last_key[:80]!r} is not a sys_id (32 hex characters); it is never "
            "used in a query nor saved as the watermark"
        )
    return position


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class _Cancelled(Exception):
    """The instance cancelled the transaction (execution-time quota)."""


@dataclass
class Page:
    """One answer of the Table API."""

    records: list[dict[str, Any]]
    limit: int
    headers: dict[str, str] = field(default_factory=dict)
    server_time: str | None = None


def keyset_query(
    base: str,
    after: Position | None,
    cursor: str = "sys_updated_on",
    key: str = "sys_id",
) -> str:
    """The encoded query for the page after ``after``.

    ``(c > t) OR (c = t AND k > id)`` is written ``c>=t^c>t^ORk>id``: ``^OR`` binds tighter than
    ``^``, so this reads ``c >= t AND (c > t OR k > id)``, the same set, and it composes with any
    ANDed filter (a sys_id range, ``tablenameIN...``) without an ``^NQ`` branch that would have
    to repeat the filter.
    """
    parts = [base] if base else []
    if cursor == key:  # a key-only read (reconciliation): plain keyset on the key
        if after is not None:
            parts.append(f"{key}>{after[1]}")
        parts.append(f"ORDERBY{key}")
        return "^".join(parts)
    if after is not None:
        moment, last_key = after
        if last_key:
            parts.append(f"{cursor}>={moment}^{cursor}>{moment}^OR{key}>{last_key}")
        else:
            parts.append(f"{cursor}>={moment}")
    parts.append(f"ORDERBY{cursor}^ORDERBY{key}")
    return "^".join(parts)


def key_ranges(count: int, key: str = "sys_id") -> list[str]:
    """Split the sys_id space into ``count`` ranges, as encoded-query filters.

    Bounds are hex prefixes; the first range is open below and the last open above, so the
    ranges cover every possible key, hex or not.
    """
    if count <= 1:
        return [""]
    bounds = [f"{(256 * index) // count:02x}" for index in range(1, count)]
    ranges = [f"{key}<{bounds[0]}"]
    ranges += [f"{key}>={low}^{key}<{high}" for low, high in itertools.pairwise(bounds)]
    ranges.append(f"{key}>={bounds[-1]}")
    return ranges


class ServiceNowClient:
    """Table API client shared by the workers of one process.

    Each thread gets its own ``requests.Session`` (requests sharing a session cookie run one
    after another on the instance); a semaphore caps concurrent requests instance-wide.
    """

    def __init__(
        self,
        settings: ServiceNowSettings,
        *,
        authenticator: Authenticator | None = None,
        backoff_seconds: float = 0.5,
        backoff_cap_seconds: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._auth = authenticator or make_authenticator(settings)
        self._semaphore = threading.BoundedSemaphore(settings.concurrency)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._backoff = backoff_seconds
        self._backoff_cap = backoff_cap_seconds
        self._sleep = sleep
        self.requests_made = 0
        self.retries = 0

    def __repr__(self) -> str:
        return f"ServiceNowClient(url={self.settings.url!r}, auth={self.settings.auth!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every worker session."""
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"Accept": "application/json", "User-Agent": "empreinte"})
            # The environment's proxies (HTTPS_PROXY, NO_PROXY) and CA bundle
            # (REQUESTS_CA_BUNDLE) for the instance's URL, read once: requests would read the
            # whole environment again at every request (milliseconds of CPU per page).
            environment = session.merge_environment_settings(
                self.settings.url, {}, None, self.settings.verify, None
            )
            session.proxies.update(environment["proxies"])
            session.verify = environment["verify"]
            session.trust_env = False
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    # -- one request, with retries -------------------------------------------------------------

    def get_json(self, path: str, params: dict[str, Any], *, table: str) -> tuple[Any, Page]:
        """GET ``path`` and decode its JSON body, retrying what is worth retrying.

        Returns the body and a ``Page`` holding the headers (records empty). Raises
        ``_Cancelled`` on a cancelled transaction so the caller can shrink its page.
        """
        return self._request("GET", path, params, table=table)

    def patch_record(self, table: str, sys_id: str, changes: dict[str, str]) -> dict[str, Any]:
        """Write ``changes`` to one record (Table API PATCH), with the same retries and rate
        limit as reads (a PATCH of the same values is safe to repeat). Returns the record as
        the instance answered it."""
        body, _ = self._request(
            "PATCH",
            f"/api/now/table/{table}/{sys_id}",
            {"sysparm_fields": ",".join(["sys_id", *changes])},
            table=table,
            body=changes,
        )
        return body.get("result", {}) if isinstance(body, dict) else {}

    def _request(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        *,
        table: str,
        body: dict[str, Any] | None = None,
    ) -> tuple[Any, Page]:
        attempt = 0
        refused_once = False
        while True:
            attempt += 1
            try:
                return self._attempt(method, path, params, table, refused_once, body)
            except _Retry as retry:
                if retry.reason == "401" and not refused_once:
                    refused_once = True
                    attempt -= 1
                    continue
                if attempt >= self.settings.max_attempts:
                    raise ServiceNowError(
                        f"{table}: {method} {path} failed after {attempt} attempts: {retry.reason}"
                    ) from None
                wait = retry.wait
                if wait is None:
                    ceiling = min(self._backoff_cap, self._backoff * 2 ** (attempt - 1))
                    wait = random.uniform(ceiling / 2, ceiling)
                elif wait > MAX_RATE_LIMIT_WAIT_SECONDS:
                    raise ServiceNowError(
                        f"{table}: {method} {path} rate limited for {wait:.0f} s "
                        f"(over the {MAX_RATE_LIMIT_WAIT_SECONDS:.0f} s the connector waits)"
                    ) from None
                self.retries += 1
                log.warning(
                    "retrying %s: %s (attempt %d, wait %.2f s)",
                    path,
                    retry.reason,
                    attempt,
                    wait,
                    extra={
                        "event": "retry",
                        "table": table,
                        "path": path,
                        "reason": retry.reason,
                        "attempt": attempt,
                        "wait_seconds": round(wait, 3),
                    },
                )
                self._sleep(wait)

    def _attempt(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        table: str,
        refused_once: bool,
        body: dict[str, Any] | None = None,
    ) -> tuple[Any, Page]:
        settings = self.settings
        header = self._auth.header()
        with self._semaphore:
            self.requests_made += 1
            try:
                response = self._session().request(
                    method,
                    settings.url + path,
                    params=params,
                    json=body,
                    headers={"Authorization": header},
                    timeout=(min(10.0, settings.timeout_seconds), settings.timeout_seconds),
                    stream=True,
                )
                content = _read_body(response)
            except requests.exceptions.SSLError:
                raise ServiceNowError(
                    f"{table}: TLS verification failed for {path} (set "
                    "EMPREINTE_SERVICENOW_CA_BUNDLE to the instance's CA bundle; verification "
                    "is never switched off)"
                ) from None
            except (
                requests.ConnectionError,
                requests.Timeout,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as error:
                raise _Retry(type(error).__name__) from None
        page = Page(
            [],
            int(params.get("sysparm_limit") or 0),
            dict(response.headers),
            _server_time(response.headers.get("Date")),
        )
        status = response.status_code
        if status == 401:
            if not refused_once and self._auth.refused(header):
                raise _Retry("401")
            raise AuthenticationError(
                f"ServiceNow refused the credentials (HTTP 401 on {method} {path}): check "
                "EMPREINTE_SERVICENOW_USER / _PASSWORD, or the OAuth client; extraction stopped"
            )
        if status == 403:
            raise AuthenticationError(
                f"ServiceNow refused access (HTTP 403 on {method} {path}): the integration user "
                "lacks the rights listed in connectors/servicenow/README.md; stopped"
            )
        # The body of a 200 stays bytes (decoded straight to objects below); an error's as text.
        text = "" if status == 200 else content.decode(response.encoding or "utf-8", "replace")
        cancelled = _is_cancel(content) if status == 200 else bool(_CANCELLED.search(text[:2000]))
        if cancelled:
            raise _Cancelled()
        if status in _RETRY_STATUSES:
            raise _Retry(f"HTTP {status}", _rate_limit_wait(response) if status == 429 else None)
        if status == 404 and "No Record found" in text and method == "GET":
            return {"result": []}, page  # the v1 answer to a valid query with no match
        if status != 200:
            raise ServiceNowError(
                f"{table}: {method} {path} failed: HTTP {status} {_error_message(text)}"
            )
        body = _decode(content, response.encoding)
        if isinstance(body, dict) and "error" in body and "result" not in body:
            message = _error_message(content.decode("utf-8", "replace"))
            if _CANCELLED.search(message):
                raise _Cancelled()
            raise _Retry(f"error in a 200 answer: {message}")
        return body, page

    # -- pages -----------------------------------------------------------------------------------

    def get_page(
        self,
        table: str,
        query: str,
        fields: Sequence[str],
        limit: int,
        offset: int = 0,
        count: bool = False,
    ) -> Page:
        """One page of a table; halves ``limit`` while the instance cancels the transaction."""
        path = TABLE_PATH.format(table=table)
        while True:
            params = {
                "sysparm_query": query,
                "sysparm_fields": ",".join(fields),
                "sysparm_limit": limit,
                "sysparm_display_value": "false",
                "sysparm_exclude_reference_link": "true",
                "sysparm_no_count": "false" if count else "true",
                "sysparm_suppress_pagination_header": "false" if count else "true",
            }
            if offset:
                params["sysparm_offset"] = offset
            try:
                body, page = self.get_json(path, params, table=table)
            except _Cancelled:
                if limit <= 1:
                    raise ServiceNowError(
                        f"{table}: GET {path} cancelled by the instance even for one row"
                    ) from None
                limit = max(1, limit // 2)
                log.warning(
                    "%s: transaction cancelled, page size halved to %d",
                    table,
                    limit,
                    extra={"event": "page_size_halved", "table": table, "page_size": limit},
                )
                continue
            result = body.get("result") if isinstance(body, dict) else None
            if not isinstance(result, list):
                raise ServiceNowError(f"{table}: GET {path} answered without a result list")
            page.records = result
            page.limit = limit
            return page

    def iter_pages(
        self,
        table: str,
        fields: Sequence[str],
        *,
        after: Position | None = None,
        query: str = "",
        page_size: int | None = None,
        cursor: str = "sys_updated_on",
        key: str = "sys_id",
    ) -> Iterator[Page]:
        """Every page of ``table`` after ``after``, in keyset order (see module docstring).

        ``Page.server_time`` of the last (empty) page tells when the read ended.
        """
        limit = page_size or self.settings.page_size
        position = None if after is None else check_position(table, after, cursor, key)
        offset = 0
        # After a short page the read is most likely over: the next page is asked with its
        # count, which tells the end from a page the ACLs hid without a second request.
        counted = False
        while True:
            encoded = keyset_query(query, position, cursor, key)
            page = self.get_page(table, encoded, fields, limit, offset, count=counted)
            limit = page.limit
            if not page.records:
                if _has_next(page):
                    offset += limit  # the instance says rows follow: ACLs hid this whole page
                    continue
                # Probe with counting on, unless the page had it: X-Total-Count is counted
                # before ACLs.
                probe = page
                if not counted:
                    probe = self.get_page(table, encoded, fields, limit, offset, count=True)
                    limit = probe.limit
                if not probe.records:
                    if _has_next(probe) or _total(probe) > offset + limit:
                        log.info(
                            "%s: a page hidden by ACLs, stepping over it",
                            table,
                            extra={"event": "acl_hidden_page", "table": table, "offset": offset},
                        )
                        offset += limit
                        continue
                    yield probe  # the empty last page ends the read
                    return
                page = probe  # rows showed up on the probe: read them
            counted = len(page.records) < limit
            last = page.records[-1]
            moment, last_key = _field(last, cursor), _field(last, key)
            if not moment or not last_key:
                raise ServiceNowError(
                    f"{table}: rows come back without {cursor}/{key} (field ACLs?)"
                )
            check_position(table, (moment, last_key), cursor, key)
            if position is not None and (moment, last_key) <= position:
                raise ServiceNowError(
                    f"{table}: the keyset did not advance past {position}; the instance "
                    "ignored the query (invalid field or glide.invalid_query setting?)"
                )
            position, offset = (moment, last_key), 0
            yield page

    def count(self, table: str, query: str = "") -> int | None:
        """Row count from the Aggregate API (before ACLs), or None if not allowed."""
        try:
            body, _ = self.get_json(
                STATS_PATH.format(table=table),
                {"sysparm_count": "true", "sysparm_query": query},
                table=table,
            )
            return int(body["result"]["stats"]["count"])
        except (ServiceNowError, _Cancelled, KeyError, TypeError, ValueError):
            return None


def _has_next(page: Page) -> bool:
    return 'rel="next"' in page.headers.get("Link", "")


def _total(page: Page) -> int:
    total = page.headers.get("X-Total-Count", "")
    return int(total) if total.isdigit() else 0


def _field(record: dict[str, Any], name: str) -> str:
    value = record.get(name)
    if isinstance(value, dict):
        value = value.get("value")
    return "" if value is None else str(value)


def _read_body(response: requests.Response) -> bytes:
    """The whole body in one read (``requests`` would read it in 10 KiB pieces, each giving up
    and taking back the interpreter lock among the other workers); the connection goes back to
    the session's pool for the next page. A body cut short raises as ``requests`` would."""
    try:
        return response.raw.read(decode_content=True)
    except urllib3.exceptions.ReadTimeoutError:
        raise requests.Timeout("read timed out") from None
    except urllib3.exceptions.DecodeError:
        raise requests.exceptions.ContentDecodingError("content could not be decoded") from None
    except urllib3.exceptions.SSLError as error:
        raise requests.exceptions.SSLError(str(error)) from None
    except urllib3.exceptions.HTTPError:
        raise requests.exceptions.ChunkedEncodingError("the body was cut short") from None
    finally:
        response.close()


def _decode(content: bytes, encoding: str | None) -> Any:
    """The JSON body of an answer: UTF-8 bytes decoded by ``orjson`` (a page of records in one
    call, no text copy); a body it refuses goes through ``json`` on the text as the headers'
    charset gives it, and a body neither can read is retried (truncated or invalid)."""
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(content.decode(encoding or "utf-8"))
    except ValueError:
        raise _Retry("truncated or invalid JSON body") from None


def _is_cancel(content: bytes) -> bool:
    """A 200 whose body is broken JSON carrying the cancellation message."""
    head = content[:4000].decode("utf-8", "replace")
    tail = content[-4000:].decode("utf-8", "replace")
    if not _CANCELLED.search(tail) and not _CANCELLED.search(head):
        return False
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError:
        return True
    return isinstance(body, dict) and "error" in body and "result" not in body


def _error_message(text: str) -> str:
    try:
        error = json.loads(text).get("error") or {}
        return f"{error.get('message', '')} {error.get('detail') or ''}".strip()[:300]
    except (ValueError, AttributeError):
        return text[:200].replace("\n", " ")


def _rate_limit_wait(response: requests.Response) -> float | None:
    retry_after = response.headers.get("Retry-After", "").strip()
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            moment = _server_datetime(retry_after)
            if moment is not None:
                return max(0.0, moment.timestamp() - time.time())
    reset = response.headers.get("X-RateLimit-Reset", "").strip()
    if reset:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            return None
    return None


def _server_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _server_time(value: str | None) -> str | None:
    """The instance's clock from an HTTP Date header, as a ServiceNow UTC date-time."""
    moment = _server_datetime(value)
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")
