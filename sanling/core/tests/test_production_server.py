"""The production set-up of docs/operations.md: gunicorn with deploy/gunicorn.conf.py serves the app with
several worker processes and answers concurrent clients without an error.

It runs the real ``gunicorn`` command in a child process, as systemd does with deploy/sanling.service.
"""

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .server_process import free_port, get, start_server

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = shutil.which("gunicorn", path=str(Path(sys.executable).parent))


@pytest.fixture
def gunicorn(tmp_path):
    environment = os.environ | {
        "SANLING_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "SANLING_WORKERS": "2",
        "SANLING_THREADS": "2",
    }
    subprocess.run([sys.executable, "-m", "sanling.cli", "migrate", "-v", "0"], env=environment, check=True)
    port = free_port()
    process = start_server(
        [
            GUNICORN,
            "-c",
            str(ROOT / "deploy/gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "sanling.wsgi",
        ],
        port=port,
        env=environment,
        log=tmp_path / "gunicorn.log",
        cwd=ROOT,
    )
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
            answers.append(get(port, "/accounts/login/"))

    clients = [threading.Thread(target=client) for _ in range(8)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    assert len(answers) == 40
    assert all(answer.startswith(b"HTTP/1.1 200") for answer in answers)
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) == 2
