"""Download progress: a line in the run log every few seconds, a bar on a terminal."""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

LOG_EVERY_SECONDS = 5.0


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


class DownloadProgress:
    """A ``ProgressFn`` for ``download``: ``progress(bytes_done, bytes_total_or_None, seconds)``."""

    def __init__(self, label: str, log: Callable[[str], None], stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.label, self.log, self.clock = label, log, clock
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last_logged = clock()

    def message(self, done: int, total: int | None, seconds: float) -> str:
        rate = done / seconds if seconds > 0 else 0.0
        of = f" of {human_bytes(total)} ({100 * done / total:.0f}%)" if total else ""
        return f"{self.label}: {human_bytes(done)}{of} at {human_bytes(rate)}/s"

    def __call__(self, done: int, total: int | None, seconds: float) -> None:
        finished = total is not None and done >= total
        now = self.clock()
        if finished or now - self.last_logged >= LOG_EVERY_SECONDS:
            self.log(self.message(done, total, seconds))
            self.last_logged = now
        if self.tty:
            width = 30
            filled = int(width * done / total) if total else 0
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r[{bar}] {self.message(done, total, seconds)}")
            if finished:
                self.stream.write("\n")
            self.stream.flush()
