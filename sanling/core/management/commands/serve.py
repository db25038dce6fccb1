"""``sanling serve``: serve the app with waitress, a production-grade pure-Python WSGI server."""

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

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        self.stdout.write(f"服务已启动：http://{host}:{port}/ （Ctrl+C 停止）")
        serve(served_application(), host=host, port=port, threads=threads, **WAITRESS_PROXY_OPTIONS)
