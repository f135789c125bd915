from django.urls import path

from profiles.views import my_profile

from . import pupil_views

app_name = "pupil"

urlpatterns = [
    path("accueil/", pupil_views.pupil_home, name="home"),
    path("mon-profil/", my_profile, name="profile"),
    path("campagnes/", pupil_views.code_lookup, name="code"),
    path("campagnes/<str:code>", pupil_views.landing, name="landing"),
    path("campagnes/<str:code>/rattachement", pupil_views.reconcile, name="reconcile"),
    path("campagnes/<str:code>/identifiant", pupil_views.external_id, name="external_id"),
    path("campagnes/<str:code>/evaluation", pupil_views.assessment_question, name="assessment"),
    path("campagnes/<str:code>/evaluation/repondre", pupil_views.assessment_answer, name="assessment_answer"),
    path(
        "campagnes/<str:code>/evaluation/reponses/<id:answer_pk>",
        pupil_views.assessment_correction,
        name="assessment_correction",
    ),
    path("campagnes/<str:code>/envoi", pupil_views.send, name="send"),
    path("campagnes/<str:code>/merci", pupil_views.thanks, name="thanks"),
]
