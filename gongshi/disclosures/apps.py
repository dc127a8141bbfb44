from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "gongshi.disclosures"
    label = "disclosures"

    def ready(self) -> None:
        from gongshi.disclosures import attachments, log_records

        attachments.register()  # the file store asks who may see a version's files
        log_records.register()  # the log's pages list a project's logged versions
