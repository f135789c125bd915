from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Administration de pixorga"
admin.site.site_title = "pixorga"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("orga/", include("campaigns.urls")),
    path("", include("campaigns.pupil_urls")),
]
