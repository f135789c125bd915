from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Élèves"

    def ready(self):
        from . import middleware  # noqa: F401  (connects the login signal)
