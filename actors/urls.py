"""/acteurs/ — the list lives here; the profile (which shows programmes) is
``actions.views.actor_detail``, routed in cress/urls.py under the same namespace."""

from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("", views.ActorListView.as_view(), name="list"),
]
