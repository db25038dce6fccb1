"""The ``sanling`` console command: Django's management commands under one name.

``sanling demo``, ``sanling import``, ``sanling export`` and friends are management commands of the
apps; anything else (``sanling migrate``, ``sanling createsuperuser``) passes through to Django.
"""

import os
import sys

# What a shell reports for a writer whose reader went away (128 + SIGPIPE).
BROKEN_PIPE_STATUS = 141
# EX_UNAVAILABLE of sysexits.h: a service the command needs (the database) is not there.
DATABASE_UNREACHABLE_STATUS = 69


class _NoDatabaseError(Exception):
    """Stands in for Django's database errors until Django is imported."""


def _database_errors() -> tuple[type[BaseException], ...]:
    try:
        from django.db import InterfaceError, OperationalError
    except ImportError:  # pragma: no cover - Django is a dependency
        return (_NoDatabaseError,)
    return (OperationalError, InterfaceError)


DATABASE_ERRORS = _database_errors()


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanling.settings")
    # SIGPIPE stays ignored, as Python sets it: a peer that goes away is an error the code handles, never
    # a signal that ends the process. `sanling serve` relies on it (waitress drops the one connection a
    # browser reset); a command printing into `| head` gets BrokenPipeError and ends quietly below.
    try:
        _run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # the last buffered lines meet a closed pipe here, not at interpreter exit
    except DATABASE_ERRORS as error:
        if not _database_unreachable(error):
            raise
        # One line an operator can act on, not 80 lines of driver traceback.
        sys.stderr.write(_unreachable_message(error) + "\n")
        sys.exit(DATABASE_UNREACHABLE_STATUS)
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit has nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(BROKEN_PIPE_STATUS)


def _database_unreachable(error: BaseException) -> bool:
    from sanling.core.health import database_unreachable

    return database_unreachable(error)


def _unreachable_message(error: BaseException) -> str:
    from django.conf import settings
    from django.db import connection
    from django.utils import translation

    where = connection.settings_dict.get("HOST") or connection.settings_dict.get("NAME") or ""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(
            "The database cannot be reached (%(where)s): %(reason)s. Check DATABASE_URL and that the server runs."
        ) % {"where": where, "reason": str(error).strip().splitlines()[0] if str(error).strip() else ""}


def _run(arguments: list[str]) -> None:
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    from sanling.audit.context import acting, command_actor

    with acting(command_actor()):  # what a command changes is audited as the operating-system user's
        execute_from_command_line(["sanling", *arguments])


if __name__ == "__main__":
    main()
