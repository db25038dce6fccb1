"""``sanling serve``: serve the app with waitress, a production-grade pure-Python WSGI server, and run the
background jobs in the same process (a huey consumer in threads) unless told not to."""

from django.conf import settings
from django.core.management.base import BaseCommand

# waitress would drop X-Forwarded-For unless its peer is its one ``trusted_proxy``; the app decides instead
# (sanling.core.proxy, from SANLING_TRUSTED_PROXIES), so waitress passes the headers on and
# ``untrusted_forwarding_removed`` strips them from any peer that is not a trusted proxy.
WAITRESS_PROXY_OPTIONS = {"clear_untrusted_proxy_headers": False}


def served_application():
    from sanling.core.proxy import untrusted_forwarding_removed
    from sanling.wsgi import application

    return untrusted_forwarding_removed(application)


class Command(BaseCommand):
    help = "用 waitress 启动 Web 服务。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="在本进程内运行后台任务的线程数（默认 SANLING_JOBS_SERVE_WORKERS；0：不运行，"
            "由单独的 sanling run_huey 服务运行）",
        )

    def handle(self, *args, host: str, port: int, threads: int, jobs: int | None = None, **options):
        from waitress import serve

        from sanling.jobs.consumer import embedded_consumer

        workers = settings.JOBS_SERVE_WORKERS if jobs is None else jobs
        with embedded_consumer(workers) as consumer:
            if consumer is not None:
                self.stdout.write(f"后台任务：本进程内 {workers} 个线程运行（导入、大批量导出）。")
            self.stdout.write(f"服务已启动：http://{host}:{port}/ （Ctrl+C 停止）")
            serve(served_application(), host=host, port=port, threads=threads, **WAITRESS_PROXY_OPTIONS)
