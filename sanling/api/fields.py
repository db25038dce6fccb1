from rest_framework import serializers


class ScopedSlugField(serializers.SlugRelatedField):
    """An object named by its code, looked up only among those ``scoped(user)`` returns: an object outside
    the caller's scope does not exist for them."""

    def __init__(self, scoped, **kwargs):
        self.scoped = scoped
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return self.scoped(self.context["request"].user)
