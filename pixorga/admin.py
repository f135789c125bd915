from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django_scopes import scopes_disabled


class AdminSite(admin.AdminSite):
    """The Django admin is for the platform's staff, who see every organization: its views run with the
    organization scopes disabled."""

    site_header = "Administration de pixorga"
    site_title = "pixorga"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def unscoped(request, *args, **kwargs):
            with scopes_disabled():
                return inner(request, *args, **kwargs)

        return unscoped


class PixorgaAdminConfig(AdminConfig):
    default_site = "pixorga.admin.AdminSite"
