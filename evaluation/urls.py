from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("competences/<str:code>/commencer", views.start, name="start"),
    path("<id:pk>/", views.question, name="question"),
    path("<id:pk>/repondre", views.answer, name="answer"),
    path("<id:pk>/reponses/<id:answer_pk>", views.correction, name="correction"),
]
