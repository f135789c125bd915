from django.contrib import admin
from django.urls import include, path, register_converter

from .converters import IdConverter

register_converter(IdConverter, "id")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("pixorga.api_urls")),
    path("", include("accounts.urls")),
    path("orga/", include("campaigns.urls")),
    path("", include("students.urls")),
    path("", include("campaigns.pupil_urls")),
    path("evaluation/", include("evaluation.urls")),
    path("", include("profiles.urls")),
]
