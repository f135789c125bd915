from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Profils Pix"

    def ready(self):
        from evaluation.signals import knowledge_changed

        from .receivers import refresh_live_pix

        knowledge_changed.connect(refresh_live_pix, dispatch_uid="profiles_refresh_live_pix")
