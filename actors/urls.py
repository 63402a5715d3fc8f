"""/acteurs/: the list and the profile."""

from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.ActorListView.as_view(), name="list"),
    path("<slug:slug>/", views.actor_detail, name="detail"),
]
