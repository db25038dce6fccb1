"""``sanling serve`` outlives its clients, and a command whose reader goes away ends quietly.

Both run the real console entry point (``sanling.cli.main``) in a child process: what is tested is the
process's signal handling, which an in-process test client never exercises.
"""

import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .server_process import free_port, get, start_server

VENDOR_FILE = "/static/vendor/echarts.min.js"  # about 1 MB: far more than a socket's buffers hold


def _environment(folder: Path) -> dict[str, str]:
    return os.environ | {
        "SANLING_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'serve.sqlite3'}",
        "DEBUG": "1",  # static files straight from the source tree, no collectstatic needed
    }


def _reset_mid_response(port: int, path: str, read_bytes: int) -> None:
    """Ask for ``path``, read a little of the answer, then drop the connection with a reset (RST), as a
    browser does when the user cancels a download."""
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    if read_bytes:
        client.recv(read_bytes)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = start_server(
        [sys.executable, "-m", "sanling.cli", "serve", "--port", str(port), "--threads", "2"],
        port=port,
        env=_environment(tmp_path),
        log=tmp_path / "serve.log",
    )
    yield process, port
    process.terminate()
    process.wait(timeout=10)


def test_the_server_keeps_answering_after_clients_reset_a_download(server):
    process, port = server
    for read_bytes in (0, 4096, 65536, 0, 4096):
        _reset_mid_response(port, VENDOR_FILE, read_bytes)
        time.sleep(0.2)  # let the server write into the dead connection
    assert process.poll() is None, f"the server ended with {process.returncode}"
    answer = get(port, VENDOR_FILE)
    assert answer.startswith(b"HTTP/1.1 200")
    assert len(answer) > 1_000_000


def test_a_command_whose_reader_has_gone_ends_quietly(tmp_path):
    reader, writer = os.pipe()
    os.close(reader)  # as `sanling … | head` once head has read enough
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "sanling.cli", "help"],
            env=_environment(tmp_path),
            stdout=writer,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert finished.returncode == 141  # what a shell reports for a writer whose reader went away
    assert finished.stderr.decode() == ""  # no traceback, no "Exception ignored"
