"""Gunicorn for production, behind nginx (deploy/nginx.conf); see docs/operations.md, "Serving".

One Python process runs Python code on one core at a time, so ``sanling serve`` (waitress, one process)
leaves the other cores idle under load; here several worker processes share the machine, each with a few
threads for requests that wait on the database. bench/load_bench.py compares the two.
"""

import multiprocessing
import os

bind = os.environ.get("SANLING_BIND", "127.0.0.1:8000")
# The usual 2 × cores + 1: while one worker waits on PostgreSQL another computes.
workers = int(os.environ.get("SANLING_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("SANLING_THREADS", "4"))
# An import of a whole county runs inside its request; anything slower belongs in `sanling import`.
timeout = int(os.environ.get("SANLING_WORKER_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak in any library never grows without bound.
max_requests = 5000
max_requests_jitter = 500
# nginx on the same machine (or the addresses of SANLING_TRUSTED_PROXIES) may say the request was HTTPS.
forwarded_allow_ips = os.environ.get("SANLING_TRUSTED_PROXIES", "127.0.0.1")
# Django writes one log line per request itself; gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
