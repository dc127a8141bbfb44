from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "gongshi.registrations"
    label = "registrations"

    def ready(self) -> None:
        from gongshi.registrations import attachments

        attachments.register()  # the file store asks who may see a business-licence scan
