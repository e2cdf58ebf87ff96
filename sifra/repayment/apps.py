from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepaymentConfig(AppConfig):
    name = "sifra.repayment"
    label = "repayment"
    verbose_name = _("Repayment")

    def ready(self) -> None:
        from sifra.repayment import balances

        balances.connect()
