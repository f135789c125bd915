from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("orga/eleves/export.csv", views.learner_export, name="export"),
    path("orga/eleves/<id:pk>/", views.learner_detail, name="detail"),
    path("orga/eleves/<id:pk>/supprimer/", views.learner_erase, name="erase"),
    path("orga/eleves/certificabilite/", views.certificability_refresh, name="refresh"),
    path("orga/eleves/comptes/", views.learner_accounts, name="accounts"),
    path("orga/eleves/import/", views.roster_import, name="import"),
    path("orga/eleves/import/modele.csv", views.roster_import_template, name="import_template"),
    path("orga/eleves/import/<id:pk>/", views.roster_import_detail, name="import_detail"),
    path("mot-de-passe/choix/", views.choose_password, name="choose_password"),
]
