from django.urls import path

from gongshi.integrity.api import views

urlpatterns = [
    path("log/checkpoint", views.checkpoint, name="log-checkpoint"),
    path("log/public-key", views.public_key, name="log-public-key"),
    path("log/entries/<int:index>", views.entry, name="log-entry"),
    path("log/proof/inclusion", views.inclusion_proof, name="log-inclusion-proof"),
    path("log/proof/consistency", views.consistency_proof, name="log-consistency-proof"),
    path("log/projects/<str:code>/entries", views.project_entries, name="log-project-entries"),
]
