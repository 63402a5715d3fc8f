from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.ActionListView.as_view(), name="list"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("evenements/", views.event_list, name="events"),
    path("evenements/<slug:slug>/", views.event_detail, name="event"),
    path("<slug:slug>/", views.action_detail, name="detail"),
]
