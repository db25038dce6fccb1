"""The huey consumer inside `sanling serve`: the embedded mode (and so `make demo`) runs its jobs in the
same process as the web server, in threads, with nothing else to start. Production runs the consumer as a
service of its own (`sanling run_huey`, deploy/sanling-jobs.service) and sets SANLING_JOBS_SERVE_WORKERS=0
wherever it also runs `sanling serve`."""

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

# A job still running when the server stops is given this long to end; then the process exits without it
# and the job stays "running" until `sanling jobs fail ID` (its transaction is rolled back: nothing kept).
SHUTDOWN_SECONDS = 10
_SIGNALS = [signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]


@contextmanager
def embedded_consumer(workers: int) -> Iterator[object | None]:
    """Run a huey consumer with ``workers`` threads (and its scheduler, for the nightly prune) while the
    block runs, and stop it when the block ends. Yields None, running nothing, when ``workers`` is 0,
    when jobs run immediately anyway, or off the main thread (huey sets signal handlers)."""
    from huey.contrib.djhuey import HUEY

    if workers <= 0 or HUEY.immediate or threading.current_thread() is not threading.main_thread():
        yield None
        return
    autodiscover_modules("tasks")
    consumer = HUEY.create_consumer(
        workers=workers, worker_type="thread", periodic=True, shutdown_timeout=SHUTDOWN_SECONDS
    )
    # huey's start() takes over SIGINT and SIGTERM for its own run loop, which we do not run: the web
    # server keeps them, so Ctrl+C and systemd stop it as before, and the block's end stops the consumer.
    saved = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    consumer.start()
    for signum, handler in saved.items():
        signal.signal(signum, handler)
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        HUEY.storage.close()
