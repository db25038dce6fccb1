"""The refusal every lifecycle raises for a move its transition table does not allow. The API answers it
with 409 Conflict, the pages with the message; nothing has been written when it is raised."""

from django.utils.translation import gettext as _


class TransitionRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def refuse(action_label: str, status_label: str) -> TransitionRefused:
    return TransitionRefused(
        _("A case that is “%(status)s” cannot be “%(action)s”.")
        % {"status": status_label, "action": action_label}
    )
