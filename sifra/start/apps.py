from django.apps import AppConfig


class StartConfig(AppConfig):
    """Each role's start page, its work queue ("To do"): reads the selectors of many apps, so it
    is a top floor that no app imports (the API's handler only)."""

    name = "sifra.start"
    label = "start"
    verbose_name = "Start"
