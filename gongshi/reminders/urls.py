from django.urls import path

from gongshi.reminders import views

app_name = "reminders"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("workspace/reminders/", views.workspace_history, name="workspace_history"),
]
