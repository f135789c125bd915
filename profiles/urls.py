from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    # Under /evaluation/ with the pupil's other evaluation pages; served here because it reads his profile.
    path("evaluation/<id:pk>/resultat", views.evaluation_result, name="evaluation_result"),
]
