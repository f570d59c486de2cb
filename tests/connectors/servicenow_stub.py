"""A tiny Table API stub for client unit tests: only what the fake instance cannot script.

It serves ``/api/now/v2/table/<t>``, ``/api/now/stats/<t>`` and ``/oauth_token.do`` over real
HTTP on 127.0.0.1, evaluates the subset of encoded queries the connector sends (``^``, ``^OR``,
``^NQ``, ``ORDERBY``, comparisons, ``IN``), and plays a script of faults, one per request.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.servicenow.client import ServiceNowClient
from connectors.servicenow.settings import ServiceNowSettings

# The credentials the stub accepts unless told others, and its clients send.
USER, PASSWORD = "reader", "s3cret-pass"
_TERM = re.compile(r"^(\w+?)(>=|<=|!=|>|<|=|NOT IN|IN|STARTSWITH)(.*)$", re.S)


def matches(record: dict[str, str], query: str) -> bool:
    """Evaluate an encoded query (no ORDERBY parts) against one record."""
    branches = [branch for branch in query.split("^NQ")]
    return any(_branch(record, branch) for branch in branches)


def _branch(record: dict[str, str], branch: str) -> bool:
    groups: list[list[str]] = []
    for term in branch.split("^"):
        if not term or term.startswith("ORDERBY"):
            continue
        if term.startswith("OR") and groups and not term.startswith("ORDERBY"):
            groups[-1].append(term[2:])
        else:
            groups.append([term])
    return all(any(_term(record, term) for term in group) for group in groups)


def _term(record: dict[str, str], term: str) -> bool:
    match = _TERM.match(term)
    if not match:
        return True  # ServiceNow ignores an invalid part of a query
    name, op, value = match.groups()
    have = record.get(name, "")
    if op == "IN":
        return have in value.split(",")
    if op == "NOT IN":
        return have not in value.split(",")
    if op == "STARTSWITH":
        return have.startswith(value)
    return {
        "=": have == value,
        "!=": have != value,
        ">": have > value,
        ">=": have >= value,
        "<": have < value,
        "<=": have <= value,
    }[op]


def order(query: str) -> list[str]:
    """The ORDERBY fields of an encoded query, in order."""
    return [term[7:] for term in query.split("^") if term.startswith("ORDERBY")]


class Stub:
    """Holds tables, the hidden-row predicate, the fault script and a request log."""

    def __init__(self, user: str = USER, password: str = PASSWORD) -> None:
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.hidden: Callable[[dict[str, str]], bool] = lambda record: False
        self.faults: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.user, self.password = user, password
        self.client_id, self.client_secret = "client-id", "cl1ent-s3cret"
        self.tokens: dict[str, float] = {}
        self.token_lifetime = 1799
        self.link_next = False
        self.ignore_queries = False
        self.ignore_fields = False
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # as the fake's handler: no delayed-ACK stalls

            def log_message(self, *args: object) -> None:
                pass

            def send(
                self,
                status: int,
                body: Any,
                headers: dict[str, str] | None = None,
                raw: bytes | None = None,
            ) -> None:
                data = raw if raw is not None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                ok = form.get("client_id") == stub.client_id and (
                    form.get("client_secret") == stub.client_secret
                )
                grant = form.get("grant_type")
                if grant == "password":
                    ok = (
                        ok
                        and form.get("username") == stub.user
                        and (form.get("password") == stub.password)
                    )
                elif grant == "refresh_token":
                    ok = ok and form.get("refresh_token") == "refresh-abc"
                if not ok:
                    self.send(401, {"error": "access_denied"})
                    return
                token = f"tok-{len(stub.tokens)}-xyz"
                stub.tokens[token] = time.monotonic() + stub.token_lifetime
                self.send(
                    200,
                    {
                        "access_token": token,
                        "refresh_token": "refresh-abc",
                        "token_type": "Bearer",
                        "expires_in": stub.token_lifetime,
                    },
                )

            def authorised(self) -> bool:
                header = self.headers.get("Authorization", "")
                if header.startswith("Basic "):
                    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                    return user == stub.user and password == stub.password
                if header.startswith("Bearer "):
                    return stub.tokens.get(header[7:], 0) > time.monotonic()
                return False

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with stub.lock:
                    fault = stub.faults.pop(0) if stub.faults else None
                    stub.requests.append({"path": parts.path, "params": params, "fault": fault})
                if not self.authorised():
                    self.send(
                        401, {"error": {"message": "User Not Authenticated"}, "status": "failure"}
                    )
                    return
                if fault == "429":
                    self.send(429, {"error": {"message": "Rate limit"}}, {"Retry-After": "0"})
                    return
                if fault in ("403", "500", "502", "503"):
                    self.send(int(fault), {"error": {"message": "boom"}})
                    return
                if fault == "cancel":
                    self.send(
                        200,
                        None,
                        raw=b'{"result":[{"sys_id":"a"},{"error":{"message":'
                        b'"Transaction cancelled: maximum execution time exceeded"}',
                    )
                    return
                if fault == "slow":
                    time.sleep(1.5)
                table = parts.path.rsplit("/", 1)[-1]
                if stub.ignore_queries:
                    params["sysparm_query"] = ""
                rows = [
                    r
                    for r in stub.tables.get(table, [])
                    if matches(r, params.get("sysparm_query", ""))
                ]
                if parts.path.startswith("/api/now/stats/"):
                    self.send(200, {"result": {"stats": {"count": str(len(rows))}}})
                    return
                for name in reversed(order(params.get("sysparm_query", ""))):
                    rows.sort(key=lambda r, n=name: r.get(n, ""))
                offset = int(params.get("sysparm_offset") or 0)
                limit = int(params.get("sysparm_limit") or 10000)
                window = rows[offset : offset + limit]
                fields = None if stub.ignore_fields else params.get("sysparm_fields")
                visible = [r for r in window if not stub.hidden(r)]
                result = [
                    {f: r[f] for f in fields.split(",") if f in r} if fields else dict(r)
                    for r in visible
                ]
                headers = {}
                if params.get("sysparm_no_count") != "true":
                    headers["X-Total-Count"] = str(len(rows))
                if stub.link_next and offset + limit < len(rows):
                    headers["Link"] = '<x>;rel="next"'
                body = json.dumps({"result": result}).encode()
                if fault == "truncate":
                    body = body[: len(body) // 2]
                if fault == "reset":  # RST: linger 0 then close
                    self.request.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.close_connection = True
                    return
                self.send(200, None, headers, raw=body)

        return Handler


def make_client(url: str, **overrides: object) -> ServiceNowClient:
    """A client with test-friendly timeouts and near-zero backoff, on the stub's credentials
    and pages of 7 rows unless ``overrides`` say otherwise."""
    values = {
        "url": url,
        "user": USER,
        "password": PASSWORD,
        "page_size": 7,
        "timeout_seconds": 5.0,
        "max_attempts": 4,
        "lookback_minutes": 0,
    }
    values.update(overrides)
    return ServiceNowClient(
        ServiceNowSettings(**values), backoff_seconds=0.01, backoff_cap_seconds=0.05
    )
