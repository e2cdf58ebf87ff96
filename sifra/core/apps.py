from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sifra.core"
    label = "core"
    verbose_name = "Sifra"
