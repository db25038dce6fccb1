"""Progress of long work, in one shape for everyone who reports it and everyone who shows it.

A long operation (the importer, the rebuild of the rates, an export) takes an optional ``progress``
callable ``progress(done, total, message)`` and calls it every few thousand rows and at each new stage.
A background job passes one that records the job's progress (``sanling.jobs.services.job_progress``), a
command one that draws a bar on the terminal (``terminal_progress``), and everything else passes nothing.

``Progress`` is the counter the operations keep: a loop over millions of rows pays one addition and one
comparison per row, and the callable is called only every ``every`` rows.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

from django.core.management.base import OutputWrapper

ProgressCallback = Callable[[int, int, str], None]  # (done, total, message)
T = TypeVar("T")

EVERY = 5000  # rows between two calls of the callable


class Progress:
    """Counts what is done of ``total`` and tells ``callback`` every ``every`` units, at each stage and at
    the end. Without a callback it counts and tells no one, so the operations need no ``if`` of their own."""

    def __init__(self, callback: ProgressCallback | None = None, *, every: int = EVERY):
        self.callback = callback
        self.every = every
        self.done = 0
        self.total = 0
        self.message = ""
        self._told = 0

    def start(self, total: int, message: str) -> None:
        """A new phase of ``total`` units (rows checked, rows written), counted from zero."""
        self.done, self.total, self.message = 0, total, message
        self._tell()

    def stage(self, message: str) -> None:
        """Say what is being done now, without changing the counts."""
        self.message = message
        self._tell()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.callback is not None and self.done - self._told >= self.every:
            self._tell()

    def reach(self, done: int) -> None:
        """Set the count to ``done`` (for work counted in bulk rather than row by row)."""
        self.advance(done - self.done)

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        """``items``, one unit of progress each as it is taken."""
        for item in items:
            self.advance()
            yield item

    def finish(self) -> None:
        self.done = max(self.done, self.total)
        self._tell()

    def _tell(self) -> None:
        self._told = self.done
        if self.callback is not None:
            self.callback(self.done, self.total, self.message)


class TerminalBar:
    """A one-line progress bar redrawn in place on a terminal (``\\r``), at most every ``interval`` seconds:
    ``[##########··········]  50%  5,000/10,000  检查 events.csv``. Plain text, so any terminal shows it."""

    WIDTH = 30

    def __init__(self, stream: TextIO | OutputWrapper, *, interval: float = 0.2):
        self.stream = stream
        self.interval = interval
        self._drawn_at = 0.0
        self._last = ""

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if total and done < total and message == self._last and now - self._drawn_at < self.interval:
            return
        self._drawn_at, self._last = now, message
        if total:
            filled = min(self.WIDTH, self.WIDTH * done // total)
            bar = "#" * filled + "·" * (self.WIDTH - filled)
            line = f"[{bar}] {min(100, 100 * done // total):3d}%  {done:,}/{total:,}  {message}"
        else:
            line = f"{done:,}  {message}" if done else message
        self._write(f"\r\x1b[2K{line}")

    def close(self) -> None:
        """End the bar's line, so what the command prints next starts on a line of its own."""
        if self._last or self._drawn_at:
            self._write("\n")

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()


def terminal_progress(stream: TextIO | OutputWrapper) -> TerminalBar | None:
    """A bar on ``stream`` when it is a terminal; None (no output at all) when it is piped or a file, so
    logs and scripts read only the command's own lines."""
    isatty = getattr(stream, "isatty", None)
    return TerminalBar(stream) if isatty is not None and isatty() else None
