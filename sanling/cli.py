"""The ``sanling`` console command: Django's management commands under one name.

``sanling demo``, ``sanling import``, ``sanling export`` and friends are management commands of the
apps; anything else (``sanling migrate``, ``sanling createsuperuser``) passes through to Django.
"""

import os
import signal
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanling.settings")
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `sanling rates … | head` ends quietly
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from sanling.audit.context import acting, command_actor

    with acting(command_actor()):  # what a command changes is audited as the operating-system user's
        execute_from_command_line(["sanling", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
