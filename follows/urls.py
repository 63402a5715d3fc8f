"""/suivre/: « Me prévenir » on a list of actors."""

from django.urls import path

from . import views

app_name = "follows"

urlpatterns = [
    path("", views.follow, name="new"),
    path("envoye/", views.sent, name="sent"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
