"""A process that ends with the one that started it, even when that one is killed (SIGKILL
leaves it no chance to stop its children)."""

from __future__ import annotations

import os
import threading
import time

# How often the process checks that the one that started it is still there.
PARENT_POLL_S = 1.0


def end_with_parent(parent: int) -> None:
    """Watch, in a daemon thread, that ``parent`` is still this process's parent; exit at once
    when it is not (it ended and this process was adopted)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
