from django.apps import AppConfig


class PixorgaConfig(AppConfig):
    """The project's own wiring (no models): signal receivers of pixorga/ modules."""

    name = "pixorga"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="pixorga-start-idle-clock")
