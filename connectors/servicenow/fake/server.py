"""A fake ServiceNow instance over real HTTP on loopback: Table API, stats, OAuth, faults.

``FakeInstance`` serves the seeded metropolis of ``metropolis.generate`` with the behaviour
described in ../shared/reference/servicenow.md: encoded queries, field lists, display
values, pagination headers, error envelopes, basic and OAuth auth, rate limits, ACL-short pages
and injected faults. ``serve`` runs one from the command line until interrupted.
"""

from __future__ import annotations

import base64
import gc
import json
import os
import secrets
import signal
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from connectors.processes import end_with_parent
from connectors.servicenow.fake import table_api
from connectors.servicenow.fake.faults import Faults
from connectors.servicenow.fake.metropolis import generate
from connectors.servicenow.fake.store import Store
from connectors.servicenow.fake.table_api import HttpError

DEFAULT_USER = "empreinte"
# The fake holds no real data: a fixed demo password is fine (never use it anywhere else).
DEFAULT_PASSWORD = "demo-fake-servicenow"
DEFAULT_CLIENT_ID = "empreinte-fake-client"
DEFAULT_CLIENT_SECRET = "demo-fake-secret"
RATE_LIMIT_RULE = "2f1b2c0ee4a14310a4b8a1a5e7c3d9f0"  # sys_id of the fake's rate-limit rule
_NOT_AUTHENTICATED = ("User Not Authenticated", "Required to provide Auth information")
_KEYSET_ORDER = (("sys_updated_on", False), ("sys_id", False))  # the connector's order


@lru_cache(maxsize=4)
def _generated(seed: int, scale: float, as_of: date) -> dict[str, list[dict[str, str]]]:
    # Records are never mutated in place by the store, so instances can share one generation.
    return generate(seed, scale, as_of)


class FakeInstance:
    """A running fake ServiceNow instance; use as a context manager or start()/stop()."""

    def __init__(
        self,
        seed: int = 42,
        scale: float = 1.0,
        user: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
        faults: Faults | str | None = None,
        port: int = 0,
        rate_limit_per_hour: int | None = None,
        *,
        as_of: date = date(2026, 11, 1),
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        token_ttl: float = 1799.0,
        rate_limit_window: float = 3600.0,
        default_limit: int = 10_000,
        verbose: bool = False,
        hidden: Iterable[str] = (),
        processes: int = 1,
    ) -> None:
        self.store = Store(_generated(seed, scale, as_of), seed)
        # Served from this many forked copies (``serve``): each would keep its own writes and
        # tokens, so they are refused.
        self.processes = processes
        self.user, self.password = user, password
        self.client_id, self.client_secret = client_id, client_secret
        self.faults = faults if isinstance(faults, Faults) else Faults(faults)
        self.port = port
        self.rate_limit_per_hour = rate_limit_per_hour
        self.rate_limit_window = rate_limit_window
        self.token_ttl = token_ttl
        self.default_limit = default_limit
        self.verbose = verbose
        self.hidden: set[str] = set(hidden)  # sys_ids the integration user's ACLs hide
        self.requests: deque[dict[str, Any]] = deque(maxlen=50_000)  # what clients asked
        self.list_requests = 0
        self._callbacks: list[Callable[[int], None]] = []
        self._tokens: dict[str, tuple[str, float]] = {}  # access token -> (user, expiry)
        self._refresh: dict[str, str] = {}  # refresh token -> user
        self._windows: dict[str, tuple[float, int]] = {}  # user -> (window start, count)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle --------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:54321 (the server must be started)."""
        if self._server is None:
            raise RuntimeError("the fake instance is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeInstance:
        """Bind the port and serve in a background thread."""
        self._server = self._bind()
        # A short poll interval keeps stop() quick (tests start and stop many instances).
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True, name="fake-servicenow"
        )
        self._thread.start()
        return self

    def serve_forked(self) -> None:
        """Serve from ``processes`` forked copies sharing one listening socket, until
        interrupted: each copy accepts a connection when it is free and answers it in a thread
        of its own, so pages are served in parallel, as a real instance's nodes serve them (one
        copy's threads share one interpreter lock). The copies end with this process."""
        for table in self.store.tables():  # sorted once here, not once per copy
            self.store.sorted_rows(table, _KEYSET_ORDER)
        self._server = server = self._bind()
        gc.freeze()  # the collector would otherwise copy every shared page into each copy
        parent, copies = os.getpid(), []
        for _ in range(self.processes):
            pid = os.fork()
            if pid == 0:
                try:
                    _serve_copy(server, parent)
                finally:
                    os._exit(0)
            copies.append(pid)
        _announce(self)
        try:
            _wait_for_interrupt()
        finally:
            for pid in copies:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            server.server_close()
            self._server = None

    def _bind(self) -> ThreadingHTTPServer:
        handler = type("Handler", (_Handler,), {"instance": self})
        server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        server.daemon_threads = True
        server.block_on_close = False  # slow-fault threads must not delay stop()
        return server

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- test hooks -------------------------------------------------------------------
    def on_request(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(n)`` before serving list request n (1-based), e.g. to mutate data."""
        self._callbacks.append(callback)

    def hide(self, *sys_ids: str) -> None:
        """Hide records from the integration user, as ACLs do (after sysparm_limit)."""
        self.hidden.update(sys_ids)

    def issue_token(self, user: str | None = None) -> str:
        """An OAuth access token for ``user`` (default: the instance's user)."""
        return self._new_tokens(user or self.user)["access_token"]

    # ---- used by the handler ----------------------------------------------------------
    def authenticate(self, header: str | None) -> str:
        """The user an Authorization header stands for, or a 401."""
        if header and header.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                raise HttpError(401, *_NOT_AUTHENTICATED) from None
            if user == self.user and password == self.password:
                return user
        elif header and header.startswith("Bearer "):
            with self._lock:
                found = self._tokens.get(header[7:])
            if found and found[1] > time.monotonic():
                return found[0]
        raise HttpError(
            401, *_NOT_AUTHENTICATED, headers={"WWW-Authenticate": 'BASIC realm="Service-now"'}
        )

    def rate_limit(self, user: str) -> dict[str, str]:
        """Count a request against the user's hourly budget: headers, or a 429."""
        if self.rate_limit_per_hour is None:
            return {}
        now = time.time()
        with self._lock:
            start, count = self._windows.get(user, (now, 0))
            if now >= start + self.rate_limit_window:
                start, count = now, 0
            count += 1
            self._windows[user] = (start, count)
        reset = start + self.rate_limit_window
        headers = {
            "X-RateLimit-Limit": str(self.rate_limit_per_hour),
            "X-RateLimit-Reset": str(int(reset) + 1),
            "X-RateLimit-Rule": RATE_LIMIT_RULE,
        }
        if count > self.rate_limit_per_hour:
            retry = max(1, int(reset - now + 0.999))
            raise HttpError(
                429,
                "User Exceeded rate limit",
                f"Rate limit of {self.rate_limit_per_hour} per hour exceeded",
                headers={**headers, "Retry-After": str(retry)},
            )
        return headers

    def next_list_request(self) -> int:
        """Number this list request and run the test callbacks for it."""
        with self._lock:
            self.list_requests += 1
            number = self.list_requests
        for callback in list(self._callbacks):
            callback(number)
        return number

    def oauth(self, form: dict[str, str]) -> dict[str, Any]:
        """Answer POST /oauth_token.do."""
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            raise HttpError(401, "access_denied")
        grant = form.get("grant_type")
        if grant == "password":
            if (form.get("username"), form.get("password")) != (self.user, self.password):
                raise HttpError(401, "access_denied")
            return self._new_tokens(self.user)
        if grant == "client_credentials":
            return self._new_tokens(self.user)
        if grant == "refresh_token":
            with self._lock:
                user = self._refresh.get(form.get("refresh_token", ""))
            if user is None:
                raise HttpError(401, "access_denied")
            return self._new_tokens(user)
        raise HttpError(400, "unsupported_grant_type")

    def _new_tokens(self, user: str) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(64), secrets.token_urlsafe(64)
        with self._lock:
            self._tokens[access] = (user, time.monotonic() + self.token_ttl)
            self._refresh[refresh] = user
        return {
            "access_token": access,
            "refresh_token": refresh,
            "scope": "useraccount",
            "token_type": "Bearer",
            "expires_in": int(self.token_ttl),
        }


class _Handler(BaseHTTPRequestHandler):
    """One HTTP exchange; the routing and the Table API live in ``table_api``."""

    instance: FakeInstance
    protocol_version = "HTTP/1.1"  # keep-alive, so client sessions reuse connections
    # Each answer goes out whole at once, as a real instance's does. With Nagle's algorithm on,
    # the body's last partial segment waited for the client's delayed acknowledgement (up to
    # 40 ms on Linux), every page.
    disable_nagle_algorithm = True
    server_version = "ServiceNow"
    sys_version = ""

    def version_string(self) -> str:
        return "ServiceNow"

    def log_message(self, format: str, *args: Any) -> None:
        if self.instance.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        split = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.instance.requests.append({"method": method, "path": split.path, "params": params})
        started, started_cpu = time.perf_counter(), time.thread_time()
        try:
            answer = table_api.route(self.instance, method, split.path, params, body, self.headers)
        except HttpError as error:
            envelope = {
                "error": {"message": error.message, "detail": error.detail},
                "status": "failure",
            }
            if split.path == "/oauth_token.do":
                envelope = {"error_description": error.message, "error": "server_error"}
            self._send(error.status, json.dumps(envelope).encode(), error.headers)
            return
        if answer.reset:
            self._reset()
            return
        if answer.delay:
            time.sleep(answer.delay)
        # The server's own time for this answer (wall and this thread's CPU), as the standard
        # Server-Timing header: a benchmark tells the client's share of the wall time from it.
        timing = (
            f"app;dur={(time.perf_counter() - started) * 1000:.3f}, "
            f"cpu;dur={(time.thread_time() - started_cpu) * 1000:.3f}"
        )
        self._send(answer.status, answer.body, {**answer.headers, "Server-Timing": timing})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. after its timeout)

    def _reset(self) -> None:
        # SO_LINGER 0 makes close() send a TCP RST: the client sees "connection reset".
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


def serve(port: int, seed: int, scale: float, faults: str | None, processes: int = 1) -> None:
    """Run a fake instance on 127.0.0.1:``port`` until interrupted (the CLI entry point).

    The password comes from EMPREINTE_SERVICENOW_PASSWORD, else the fake's demo password.
    ``processes`` above 1 serves reads from that many forked copies (``serve_forked``).
    """
    password = os.environ.get("EMPREINTE_SERVICENOW_PASSWORD") or DEFAULT_PASSWORD
    # SIGTERM stops it as Ctrl-C does, even when started by a process that ignores SIGTERM (an
    # ignored signal is inherited: Dagster maps SIGTERM to SIGINT, which test workers ignore).
    signal.signal(signal.SIGTERM, _interrupt)
    instance = FakeInstance(
        seed=seed, scale=scale, password=password, faults=faults, port=port, processes=processes
    )
    if processes > 1:
        instance.serve_forked()
        return
    with instance:
        _announce(instance)
        _wait_for_interrupt()


def _wait_for_interrupt() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


def _serve_copy(server: ThreadingHTTPServer, parent: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    end_with_parent(parent)  # the parent killed with SIGKILL: its copies must not outlive it
    while True:
        request, address = server.get_request()
        server.process_request(request, address)


def _announce(instance: FakeInstance) -> None:
    print(
        f"Fake ServiceNow instance at {instance.url} (user {instance.user!r}); Ctrl-C to stop.",
        flush=True,
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
