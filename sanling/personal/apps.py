from django.apps import AppConfig


class PersonalConfig(AppConfig):
    name = "sanling.personal"
    verbose_name = "个人信息保护"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the data key check)
