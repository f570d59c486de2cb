"""Fault injection for the fake instance, from a small spec string usable on the command line.

Spec: comma-separated items.

- ``KIND:P``  each list request gets KIND with probability P (e.g. ``429:0.1``).
- ``KIND@N``  the Nth list request (counted from 1 since the server started) gets KIND.
- ``KIND*K``  the next K list requests get KIND (queued after earlier ``*`` items).
- options: ``seed=N`` (random draws), ``slow_seconds=S`` (default 2), ``retry_after=S``
  (default 1), ``cancel_above=N`` (default 1000), ``acl_ratio=R`` (default 0.5).

KIND is one of: ``429``, ``500``, ``502``, ``503``, ``reset`` (socket closed, no answer),
``slow`` (answer after ``slow_seconds``), ``truncate`` (a 200 whose JSON body is cut),
``cancel`` (500 "Transaction cancelled: maximum execution time exceeded"), ``cancel_body``
(a 200 whose body breaks off into that error), ``acl_short`` (part of the page hidden after
``sysparm_limit``, as ACLs do). ``cancel`` and ``cancel_body`` only strike requests whose
``sysparm_limit`` is above ``cancel_above``: halving the page size cures them, as on the real
instance; a queued cancel waits for such a request.
"""

from __future__ import annotations

import random
import threading
from collections import deque

KINDS = frozenset(
    {"429", "500", "502", "503", "reset", "slow", "truncate", "cancel", "cancel_body", "acl_short"}
)
CANCEL_KINDS = frozenset({"cancel", "cancel_body"})


class Faults:
    """Decides, request by request, which fault (if any) the fake instance injects."""

    def __init__(self, spec: str | None = None) -> None:
        self._lock = threading.Lock()
        self.probabilities: dict[str, float] = {}
        self.at: dict[int, str] = {}
        self.queue: deque[str] = deque()
        self.slow_seconds = 2.0
        self.retry_after = 1
        self.cancel_above = 1000
        self.acl_ratio = 0.5
        self._rng = random.Random(0)
        self.injected: list[tuple[int, str]] = []  # (request number, kind), for tests
        for item in (spec or "").split(","):
            item = item.strip()
            if item:
                self._add(item)

    def _add(self, item: str) -> None:
        if "=" in item:
            name, value = item.split("=", 1)
            if name == "seed":
                self._rng = random.Random(int(value))
            elif name in ("slow_seconds", "acl_ratio"):
                setattr(self, name, float(value))
            elif name in ("retry_after", "cancel_above"):
                setattr(self, name, int(value))
            else:
                raise ValueError(f"unknown fault option {name!r} in {item!r}")
            return
        for separator in (":", "@", "*"):
            if separator in item:
                kind, value = item.split(separator, 1)
                break
        else:
            raise ValueError(f"fault item {item!r} is not KIND:P, KIND@N or KIND*K")
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(KINDS))}")
        if separator == ":":
            self.probabilities[kind] = float(value)
        elif separator == "@":
            self.at[int(value)] = kind
        else:
            self.queue.extend([kind] * int(value))

    def next(self, kind: str, count: int = 1) -> None:
        """Queue ``kind`` for the next ``count`` list requests (same as ``KIND*K``)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self.queue.extend([kind] * count)

    def on(self, number: int, kind: str) -> None:
        """Inject ``kind`` into list request number ``number`` (same as ``KIND@N``)."""
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self.at[number] = kind

    def decide(self, number: int, limit: int) -> str | None:
        """The fault for list request ``number`` asking for ``limit`` rows, or None."""
        with self._lock:
            kind = self._choose(number, limit)
            if kind is not None:
                self.injected.append((number, kind))
            return kind

    def _choose(self, number: int, limit: int) -> str | None:
        big = limit > self.cancel_above
        kind = self.at.pop(number, None)
        if kind is not None and (kind not in CANCEL_KINDS or big):
            return kind
        if self.queue and (self.queue[0] not in CANCEL_KINDS or big):
            return self.queue.popleft()
        for kind, probability in self.probabilities.items():
            if self._rng.random() < probability and (kind not in CANCEL_KINDS or big):
                return kind
        return None
