from django.urls import path

from gongshi.households.api import views

flat = "projects/<str:code>/flats/<str:flat>/"
ws = "workspace/projects/<str:code>/"

urlpatterns = [
    path(flat, views.public_flat, name="flat-archive"),
    path("projects/<str:code>/sample-rooms/<str:room>/", views.sample_room, name="sample-room"),
    path(flat + "owner-codes/", views.owner_codes, name="flat-owner-codes"),
    path(flat + "owner-sessions/", views.owner_sessions, name="flat-owner-sessions"),
    path(flat + "problems/", views.owner_problems, name="flat-problems"),
    path(flat + "problems/<int:pk>/decision/", views.owner_decision, name="flat-problem-decision"),
    path(ws + "flats/", views.workspace_flats, name="workspace-flats"),
    path(ws + "flats/<str:flat>/", views.workspace_flat, name="workspace-flat"),
    path(
        ws + "flats/<str:flat>/measurements/",
        views.workspace_measurements,
        name="workspace-flat-measurements",
    ),
    path(ws + "samples/", views.workspace_samples, name="workspace-samples"),
    path(
        ws + "samples/<int:pk>/rooms/", views.workspace_sample_rooms, name="workspace-sample-rooms"
    ),
    path(ws + "problems/", views.workspace_problems, name="workspace-problems"),
    path(ws + "problems/<int:pk>/answer/", views.workspace_answer, name="workspace-problem-answer"),
]
