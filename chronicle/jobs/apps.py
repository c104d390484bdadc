from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chronicle.jobs"
    label = "jobs"
    verbose_name = "Files made in the background"

    def ready(self) -> None:
        # The auditor's page counts a case's files among its records; jobs tells it which they are.
        from chronicle.jobs import case_records

        case_records.register()
