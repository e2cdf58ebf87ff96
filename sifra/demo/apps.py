from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipality's builder: the top floor, importing every app and imported by none."""

    name = "sifra.demo"
    label = "demo"
    verbose_name = "Demo data"
