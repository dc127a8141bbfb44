from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongshi.supervision"
    label = "supervision"

    def ready(self) -> None:
        from gongshi.disclosures import checklist
        from gongshi.supervision import figures
        from gongshi.supervision.timeliness import thresholds_for

        # The checklist's late/on-time states use each area's own threshold.
        checklist.set_thresholds_source(thresholds_for)
        # Each project's score counts, kept in the writing transaction (figures.py).
        figures.connect()
