from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.ActionListView.as_view(), name="list"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("evenements/", views.EventListView.as_view(), name="events"),
    path("evenements/<slug:slug>/", views.event_detail, name="event"),
    path("<slug:slug>/", views.action_detail, name="detail"),
]
