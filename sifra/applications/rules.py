"""The fund's rules checked on an application: the checklist the applicant sees while writing,
and what stops a submission."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sifra.applications.models import Application, RuleSet
from sifra.core.money import format_ore


@dataclass(frozen=True)
class RuleCheck:
    code: str
    label: str
    ok: bool
    blocking: bool
    message: str = ""


def requested_total(application: Application) -> int:
    return sum(line.requested for line in application.budget_lines.all())


def own_total(application: Application) -> int:
    return sum(line.own_contribution for line in application.budget_lines.all())


def _months(application: Application) -> int | None:
    start, end = application.start_date, application.end_date
    if not start or not end:
        return None
    return (
        (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)
    )


def _participants(application: Application) -> int:
    ids = {application.lead_unit_id, *(unit.pk for unit in application.units.all())}
    return len(ids)


def check_rules(application: Application) -> list[RuleCheck]:
    rules = RuleSet.objects.filter(fund_id=application.fund_id).first() or RuleSet()
    checks = [_has_budget(application)]
    if rules.max_amount is not None:
        total = requested_total(application)
        checks.append(
            RuleCheck(
                "max_amount",
                _("At most %(max)s from the fund") % {"max": format_ore(rules.max_amount)},
                total <= rules.max_amount,
                rules.max_amount_blocking,
                _("%(asked)s is asked for.") % {"asked": format_ore(total)},
            )
        )
    if rules.max_duration_months is not None:
        months = _months(application)
        checks.append(
            RuleCheck(
                "max_duration",
                _("At most %(n)s months") % {"n": rules.max_duration_months},
                months is not None and months <= rules.max_duration_months,
                rules.max_duration_blocking,
                _("Enter the start and end dates.")
                if months is None
                else _("The project runs %(n)s months.") % {"n": months},
            )
        )
    if rules.min_units is not None:
        n = _participants(application)
        checks.append(
            RuleCheck(
                "min_units",
                _("At least %(n)s participating units") % {"n": rules.min_units},
                n >= rules.min_units,
                rules.min_units_blocking,
                ngettext("%(n)s unit takes part.", "%(n)s units take part.", n) % {"n": n},
            )
        )
    if rules.min_own_share is not None:
        checks.append(_own_share(application, rules))
    checks += _required_texts(application, rules)
    return checks


def _has_budget(application: Application) -> RuleCheck:
    total = requested_total(application)
    return RuleCheck(
        "budget",
        _("A budget with the amount asked of the fund"),
        total > 0,
        True,
        "" if total > 0 else _("Add budget lines with an amount from the fund."),
    )


def _percent_text(value: Decimal | int) -> str:
    """A share in the page's language, to one decimal and without a trailing ",0": "10", "12,5"."""
    rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(rounded.to_integral() if rounded == rounded.to_integral() else rounded)


def _own_share(application: Application, rules: RuleSet) -> RuleCheck:
    requested, own = requested_total(application), own_total(application)
    share = Decimal(0) if requested + own == 0 else Decimal(own * 100) / (requested + own)
    return RuleCheck(
        "min_own_share",
        _("An own contribution of at least %(p)s %% of the budget")
        % {"p": _percent_text(rules.min_own_share or 0)},
        share >= (rules.min_own_share or 0),
        rules.min_own_share_blocking,
        _("The own contribution is %(p)s %% of the budget.") % {"p": _percent_text(share)},
    )


def _required_texts(application: Application, rules: RuleSet) -> list[RuleCheck]:
    wanted = [
        (
            "followup_plan",
            rules.require_followup_plan,
            rules.require_followup_plan_blocking,
            _("An economic follow-up plan"),
            bool(application.followup_plan.strip()),
        ),
        (
            "evaluation_plan",
            rules.require_evaluation_plan,
            rules.require_evaluation_plan_blocking,
            _("An evaluation plan"),
            bool(application.evaluation_plan.strip()),
        ),
        (
            "case",
            rules.require_case,
            rules.require_case_blocking,
            _("An investment case"),
            bool(application.case),
        ),
    ]
    return [
        RuleCheck(code, label, present, blocking, "" if present else _("Missing."))
        for code, required, blocking, label, present in wanted
        if required
    ]


def blocking_failures(checks: list[RuleCheck]) -> list[RuleCheck]:
    return [c for c in checks if c.blocking and not c.ok]
