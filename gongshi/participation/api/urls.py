from django.urls import path

from gongshi.participation.api import views

urlpatterns = [
    path("contact-verifications/", views.send_code, name="contact-verifications"),
    path(
        "contact-verifications/confirm/",
        views.confirm_code,
        name="contact-verifications-confirm",
    ),
    path("projects/<str:code>/questions/", views.project_questions, name="project-questions"),
    path("questions/<int:pk>/answer/", views.answer, name="question-answer"),
    path("questions/resolution/", views.resolution, name="question-resolution"),
    path("projects/<str:code>/open-days/", views.project_open_days, name="project-open-days"),
    path("projects/<str:code>/webhooks/", views.create_webhook, name="project-webhooks"),
    path("projects/<str:code>/subscriptions/", views.subscribe, name="project-subscriptions"),
    path("webhooks/<str:token>/", views.webhook, name="webhook"),
]
