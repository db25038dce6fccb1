"""``sanling serve``: serve the app with waitress, a production-grade pure-Python WSGI server."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "用 waitress 启动 Web 服务。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from waitress import serve

        from sanling.wsgi import application

        self.stdout.write(f"服务已启动：http://{host}:{port}/ （Ctrl+C 停止）")
        serve(application, host=host, port=port, threads=threads)
