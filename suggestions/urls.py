"""The public's contributions: report a mistake on an actor, programme or action page,
ask to be listed, confirm one's listing."""

from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("acteurs/<slug:slug>/signaler/", views.report, {"kind": "acteur"}, name="report-actor"),
    path(
        "actions/programmes/<slug:slug>/signaler/",
        views.report,
        {"kind": "programme"},
        name="report-programme",
    ),
    path("actions/<slug:slug>/signaler/", views.report, {"kind": "action"}, name="report-action"),
    path("referencer/", views.listing, name="listing"),
    path("merci/", views.thanks, name="thanks"),
    path("verifier/modifications-envoyees/", views.update_sent, name="update-sent"),
    path("verifier/<str:token>/", views.verify, name="verify"),
    path("verifier/<str:token>/modifier/", views.update, name="update"),
]
