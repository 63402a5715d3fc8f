"""/integrer/: the builder, and the two embedded pages — the only pages any site may frame."""

from django.urls import path

from common.security import frameable

from . import views

app_name = "embeds"

urlpatterns = [
    path("", views.builder, name="builder"),
    path("liste/", frameable(views.EmbeddedList.as_view()), name="list"),
    path("carte/", frameable(views.EmbeddedMap.as_view()), name="map"),
]
