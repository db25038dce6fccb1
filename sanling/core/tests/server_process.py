"""A real server in a child process for the tests that exercise one (waitress, gunicorn): a free port, the
start that waits until it listens, and a plain HTTP GET."""

import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(command: list[str], *, port: int, env: dict, log: Path, cwd=None) -> subprocess.Popen:
    """Start ``command`` and return once it accepts connections on ``port``. Its output goes to ``log``, a
    file rather than a pipe: the JSON request log writes a line per request, which would fill an unread
    pipe and stall the server."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(log.read_text()) from None
            time.sleep(0.1)


def get(port: int, path: str, timeout: float = 30) -> bytes:
    """The whole raw answer to a GET of ``path`` on a connection of its own."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
