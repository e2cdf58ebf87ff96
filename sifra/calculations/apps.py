from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalculationsConfig(AppConfig):
    name = "sifra.calculations"
    label = "calculations"
    verbose_name = _("Calculations")
