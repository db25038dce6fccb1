"""The admin site (superusers only) and the two ways a model may appear in it: written through its
services (``ServiceModelAdmin``) or read-only (``ReadOnlyModelAdmin``)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from .concurrency import StaleVersion


class StaffOnlyAdminSite(admin.AdminSite):
    """Django's admin, for superusers only (the break-glass account; a staff flag alone opens nothing, so
    it cannot be used to give a role account a second way in): a signed-in user without it gets 403 rather
    than the admin's own login page, like every other page outside their scope."""

    site_header = "三零创建平台 · 应急管理（超级管理员，全部操作记入审计）"

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not request.user.is_superuser:
                raise PermissionDenied
            return wrapped(request, *args, **kwargs)

        return guarded

    def has_permission(self, request) -> bool:
        # Superusers only, and only once the session has taken the same steps of signing in as everywhere
        # else (the second factor above all): the middleware keeps such a session on its step's page.
        from sanling.accounts.policy import session_steps

        return request.user.is_active and request.user.is_superuser and not session_steps(request)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied
        response = super().login(request, extra_context)
        if getattr(request, "login_lockout", None) is not None:  # sanling.accounts.lockout refused it
            response.status_code = 429
        return response


class ServiceForm(forms.ModelForm):
    """An admin form whose last validation step is the write itself, through a service.

    Django's admin validates a form and then saves the instance itself, around every service: no audit entry,
    no rollups, no rule that lives in a service. Here the model validation step (``_post_clean``) calls the
    admin's ``write`` inside a savepoint instead, so whatever the service refuses (its Chinese
    ``ValidationError``, or an edit conflict) shows on the form and nothing is written. The admin's own save
    then finds the object already written and has nothing left to do.
    """

    write = None  # set by ServiceModelAdmin.get_form: (form) -> the written instance

    def _post_clean(self):
        if self._errors:
            return  # a field is already wrong; the service would only repeat it
        try:
            with transaction.atomic():
                self.instance = self.write()
        except ValidationError as error:
            self.show_error(error)
        except StaleVersion as error:
            self.add_error(None, str(error))

    def show_error(self, error: ValidationError) -> None:
        """Put each message on its field, or above the form if the field is not on it (read-only ones)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class ServiceModelAdmin(admin.ModelAdmin):
    """A model in the admin whose every add, change and delete is a service call.

    Subclasses implement ``write(request, form, change)`` (returning the written object) and, if they allow
    deleting, ``delete_through_service(request, obj)``. A refusal by the service on delete, single or bulk,
    rolls back the whole request and shows the service's message.
    """

    form = ServiceForm

    def write(self, request, form: ServiceForm, change: bool):
        raise NotImplementedError

    def delete_through_service(self, request, obj) -> None:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class BoundServiceForm(form_class):
            def write(self):
                return model_admin.write(request, self, change)

        return BoundServiceForm

    def save_model(self, request, obj, form, change):
        pass  # written by the service when the form was validated (ServiceForm._post_clean)

    def save_related(self, request, form, formsets, change):
        pass  # no inlines and no many-to-many fields: everything goes through the service

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ValidationError, StaleVersion) as error:
            return self._refused(request, error, request.path)

    def response_action(self, request, queryset):
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except (ValidationError, StaleVersion) as error:
            return self._refused(request, error, request.get_full_path())

    def _refused(self, request, error, back_to: str) -> HttpResponseRedirect:
        messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
        for message in messages_:
            self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(back_to)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """A model a superuser may look at in the admin but not change there: its writes have their own pages
    and services (accounts at /accounts/users/), or none at all."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
