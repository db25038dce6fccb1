"""The kinds of job there are. An app registers each of its kinds once (in its ``AppConfig.ready``); the
job machinery knows nothing of imports or exports, only how to run a kind and record what it did."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Job
    from .services import JobRun


@dataclass
class Outcome:
    """What a finished job leaves: its report (JSON), a line saying what it did, and the file it made
    (written where ``JobRun.file`` said), under the name its user downloads it as."""

    report: dict = field(default_factory=dict)
    message: str = ""
    file: Path | None = None
    file_name: str = ""


class JobRefused(Exception):
    """The job cannot be done, for a reason its user can act on: ``message`` in Chinese, and what the
    report should still show (an import's row errors)."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.message = message
        self.report = report or {}


@dataclass(frozen=True)
class JobKind:
    """One kind of job. ``run(job, run)`` does the work and returns its ``Outcome``; ``check(params)``
    refuses bad parameters before the job is queued (a ValidationError in Chinese). ``template`` shows a
    finished job's report on its page. ``atomic``: the work is one transaction, so a failure leaves
    nothing half-written (an export, which writes only its file, runs outside one so it blocks no one).
    ``retryable``: a failed job may be started again with the same parameters."""

    name: str
    label: str | Promise
    run: Callable[["Job", "JobRun"], Outcome]
    check: Callable[[dict], None] | None = None
    template: str = ""
    atomic: bool = True
    retryable: bool = False


KINDS: dict[str, JobKind] = {}


def job_kind_register(kind: JobKind) -> JobKind:
    """Register ``kind`` (registering the same name again replaces it, as a reload does)."""
    KINDS[kind.name] = kind
    return kind


def job_kind(name: str) -> JobKind:
    """The registered kind ``name``; a ValidationError in Chinese for any other."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValidationError(_("There is no job of the kind “%(kind)s”.") % {"kind": name}) from None
