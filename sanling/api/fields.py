from rest_framework import serializers

from sanling.accounts.scope import request_scope


class ScopedSlugField(serializers.SlugRelatedField):
    """An object named by its code, looked up only among what the caller's scope holds (``scoped`` names the
    ``Scope`` method, e.g. ``"subjects"``): an object outside it does not exist for them."""

    def __init__(self, scoped: str, **kwargs):
        self.scoped = scoped
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return getattr(request_scope(self.context["request"]), self.scoped)()
