from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save


def _refresh_developer_projects(sender, instance, created: bool, raw: bool = False, **kwargs):
    """A renamed developer is found by its new name (the name is in the search text)."""
    if created or raw:
        return
    from gongshi.projects.models import Project

    Project.objects.filter(developer=instance).refresh_search_text()


class ProjectsConfig(AppConfig):
    name = "gongshi.projects"
    label = "projects"

    def ready(self) -> None:
        from gongshi.projects.search_index import register_functions

        # The SQLite search triggers call gongshi_search_grams (see search_index).
        connection_created.connect(register_functions, dispatch_uid="projects_search_functions")
        post_save.connect(
            _refresh_developer_projects,
            sender="organisations.Organisation",
            dispatch_uid="projects_refresh_developer_search_text",
        )
