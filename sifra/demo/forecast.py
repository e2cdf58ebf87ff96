"""The demo fund's forecast, computed while the demo is built (as the task worker would), so
that its forecast page shows both scenarios and a sustainable pace at once."""

from sifra.accounts.models import User
from sifra.engine.forecast import Policy
from sifra.forecasts.selectors import default_policy_values
from sifra.forecasts.services import forecast_compute, forecast_request
from sifra.funds.models import Fund


def build_forecast(fund: Fund) -> None:
    values = default_policy_values(fund)
    run = forecast_request(
        fund=fund,
        policy=Policy(years=15, iterations=10_000, seed=2026, new_grants_ore=values["new_grants"]),
        acting_user=User.objects.get(username="ekonom"),
    )
    forecast_compute(run_id=str(run.pk))  # no-op where the immediate backend already ran it
