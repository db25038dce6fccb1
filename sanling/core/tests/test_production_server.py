"""The production set-up of docs/operations.md: gunicorn with deploy/gunicorn.conf.py serves the app with
several worker processes and answers concurrent clients without an error.

It runs the real ``gunicorn`` command in a child process, as systemd does with deploy/sanling.service.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = shutil.which("gunicorn", path=str(Path(sys.executable).parent))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := client.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def gunicorn(tmp_path):
    environment = os.environ | {
        "SANLING_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "SANLING_WORKERS": "2",
        "SANLING_THREADS": "2",
    }
    subprocess.run([sys.executable, "-m", "sanling.cli", "migrate", "-v", "0"], env=environment, check=True)
    port = _free_port()
    log = tmp_path / "gunicorn.log"  # a file, not a pipe: a request log line per request would fill a pipe
    with log.open("wb") as output:
        process = subprocess.Popen(
            [GUNICORN, "-c", str(ROOT / "deploy/gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}"]
            + ["sanling.wsgi"],
            env=environment,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)
    yield process, port
    process.terminate()
    process.wait(timeout=30)


def test_the_configuration_is_valid():
    checked = subprocess.run(
        [GUNICORN, "-c", str(ROOT / "deploy/gunicorn.conf.py"), "--check-config", "sanling.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr


def test_gunicorn_answers_concurrent_clients_from_several_workers(gunicorn):
    process, port = gunicorn
    answers: list[bytes] = []

    def client():
        for _ in range(5):
            answers.append(_get(port, "/accounts/login/"))

    clients = [threading.Thread(target=client) for _ in range(8)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    assert len(answers) == 40
    assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers)
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) == 2
