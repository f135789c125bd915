from django.urls import path
from django.views.generic import RedirectView

from accounts import views as account_views
from students import views as student_views

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="campaigns:list"), name="index"),
    path("campagnes/", views.campaign_list, name="list"),
    path("campagnes/creation/", views.campaign_create, name="create"),
    path("campagnes/<id:pk>/", views.campaign_activity, name="detail"),
    path("campagnes/<id:pk>/resultats/", views.campaign_results, name="results"),
    path("campagnes/<id:pk>/parametres/", views.campaign_settings, name="settings"),
    path("campagnes/<id:pk>/modifier/", views.campaign_update, name="update"),
    path("campagnes/<id:pk>/archiver/", views.campaign_archive, name="archive"),
    path("campagnes/<id:pk>/desarchiver/", views.campaign_unarchive, name="unarchive"),
    path("campagnes/<id:pk>/dupliquer/", views.campaign_duplicate, name="duplicate"),
    path("campagnes/<id:pk>/supprimer/", views.campaign_delete, name="delete"),
    path("campagnes/<id:pk>/jamais-rejoint/", views.campaign_never_joined, name="never_joined"),
    path("campagnes/<id:pk>/relancer/", views.campaign_relaunch, name="relaunch"),
    path(
        "campagnes/<id:pk>/relancer/evaluation/<id:assessment_pk>/",
        views.relaunch_assessment,
        name="relaunch_assessment",
    ),
    path("campagnes/<id:pk>/relances/", views.campaign_relaunches, name="relaunches"),
    path("campagnes/<id:pk>/relances/<id:relaunch_pk>/", views.relaunch_detail, name="relaunch_detail"),
    path("campagnes/<id:pk>/export.csv", views.campaign_export, name="export"),
    path("campagnes/<id:pk>/affiche/", views.campaign_handout, name="handout"),
    path(
        "campagnes/<id:pk>/participants/<id:participation_pk>/",
        views.participant_detail,
        name="participant",
    ),
    path(
        "campagnes/<id:pk>/participants/<id:participation_pk>/supprimer/",
        views.participation_delete,
        name="participation_delete",
    ),
    path("eleves/", student_views.learner_list, name="learners"),
    path("eleves/relancer/", views.learners_relaunch, name="learners_relaunch"),
    path("equipe/", account_views.team, name="team"),
    path("journal-des-exports/", views.export_log, name="export_log"),
    path("documentation/", views.documentation, name="documentation"),
]
