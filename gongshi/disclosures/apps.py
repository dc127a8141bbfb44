from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "gongshi.disclosures"
    label = "disclosures"

    def ready(self) -> None:
        from gongshi.disclosures import attachments

        attachments.register()  # the file store asks who may see a version's files
