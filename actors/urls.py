"""/acteurs/: the list and the profile."""

from django.urls import path

from . import nearby, views

app_name = "actors"

urlpatterns = [
    path("", views.ActorListView.as_view(), name="list"),
    path("carte/", views.ActorMapView.as_view(), name="map"),
    path("communes/", nearby.commune_suggestions, name="communes"),
    path("<slug:slug>/", views.actor_detail, name="detail"),
    path("<slug:slug>/logo/", views.logo, name="logo"),  # the old address: leads to the file
]
