"""The API's routes: /api/v1/ (each app's viewsets), its OpenAPI schema and its documentation page.

Any other address under /api/ answers the API's JSON 404, never an HTML page.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from accounts.api import OrganizationViewSet
from campaigns.api import CampaignViewSet, PupilCampaignViewSet
from students.api import RosterViewSet

from .api import not_found

app_name = "api"

router = SimpleRouter()
router.register("organisations", OrganizationViewSet, basename="organization")
router.register("campagnes", CampaignViewSet, basename="campaign")
router.register("eleves", RosterViewSet, basename="learner")
router.register("eleve/campagnes", PupilCampaignViewSet, basename="pupil-campaign")

# The schema and its documentation are public: schools read them before they have a token.
public = {"permission_classes": [AllowAny], "authentication_classes": []}

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(**public), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", **public), name="docs"),
    re_path(r"", not_found),
]
