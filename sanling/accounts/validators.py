"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS in settings): three kinds of character
(等保 level 3), and none of the last few passwords again."""

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class ComplexityValidator:
    """At least ``min_kinds`` of: upper-case letters, lower-case letters, digits, other characters."""

    def __init__(self, min_kinds: int = 3):
        self.min_kinds = min_kinds

    def validate(self, password: str, user=None) -> None:
        kinds = [
            any(char.isupper() for char in password),
            any(char.islower() for char in password),
            any(char.isdigit() for char in password),
            any(not char.isalnum() or char in string.punctuation for char in password),
        ]
        if sum(kinds) < self.min_kinds:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of these: upper-case letters, lower-case "
                    "letters, digits and symbols."
                )
                % {"count": self.min_kinds},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Mix at least %(count)d of these: upper-case letters, lower-case letters, digits and symbols."
        ) % {"count": self.min_kinds}


class PasswordHistoryValidator:
    """None of the account's last ``keep`` passwords (the current one included) again.

    ``password_changed``, which Django calls whenever a user with a new password is saved, keeps the hashes
    (``PasswordHistory``) and records when the password changed (``SecurityState``)."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.keep]
        )
        if user.password and user.password not in hashes:
            hashes.append(user.password)  # a password set before the history was kept
        if any(check_password(password, stored) for stored in hashes):
            raise ValidationError(
                ngettext(
                    "The password must differ from the last password.",
                    "The password must differ from each of the last %(count)d passwords.",
                    self.keep,
                )
                % {"count": self.keep},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory, SecurityState

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.keep :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        # A new password is the account's own until an administrator issues it (``password_change_require``) as set by an administrator.
        SecurityState.objects.update_or_create(
            user=user, defaults={"password_changed_at": timezone.now(), "must_change_password": False}
        )

    @staticmethod
    def remember_current(user) -> None:
        """Put the password ``user`` has now into the history before it is replaced, if it is not there: a
        password set before the history was kept, or directly as a hash (``create_user``)."""
        from .models import PasswordHistory

        if user.pk is None or not user.has_usable_password():
            return
        latest = PasswordHistory.objects.filter(user=user).values_list("password", flat=True).first()
        if latest != user.password:
            PasswordHistory.objects.create(user=user, password=user.password)

    def get_help_text(self) -> str:
        return _("It must differ from your last %(count)d passwords.") % {"count": self.keep}
