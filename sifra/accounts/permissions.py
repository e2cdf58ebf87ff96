"""Who may do what: the one place every page and API endpoint asks.

The roles are DOMAIN.md's. An applicant works for its own units only; an auditor reads
everything and changes nothing; anonymous visitors see only what is published.
"""

from typing import Any

from sifra.accounts.models import Role

STAFF_READERS = {
    Role.COORDINATOR,
    Role.COUNCIL,
    Role.DECISION_MAKER,
    Role.ECONOMIST,
    Role.AUDITOR,
}
# Ledger kinds each role may post. The economist handles what repayment agreements bring.
POSTING_KINDS = {
    Role.COORDINATOR: {
        "deposit",
        "commitment",
        "release",
        "disbursement",
        "claim",
        "repayment",
        "write_off",
    },
    Role.ECONOMIST: {"claim", "repayment", "write_off"},
}


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user: Any, *roles: str) -> bool:
    return _signed_in(user) and user.role in roles


def can_manage_people(user: Any) -> bool:
    """Users, units, partners and the organisation."""
    return has_role(user, Role.COORDINATOR)


def can_view_people(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR, Role.AUDITOR)


def can_manage_funds(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_view_fund(user: Any, fund: Any = None) -> bool:
    """Every signed-in role sees a fund's balances: applicants need to know what is available."""
    return _signed_in(user)


def can_view_whole_ledger(user: Any) -> bool:
    """Applicants see only fund-level entries and their own units' projects."""
    return has_role(user, *STAFF_READERS)


def can_post(user: Any, kind: str) -> bool:
    return _signed_in(user) and kind in POSTING_KINDS.get(user.role, set())


def can_post_any(user: Any) -> bool:
    return _signed_in(user) and user.role in POSTING_KINDS


def can_view_audit(user: Any) -> bool:
    return has_role(user, Role.AUDITOR, Role.COORDINATOR)


def can_manage_projects(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_view_project(user: Any, project: Any) -> bool:
    if has_role(user, *STAFF_READERS):
        return True
    if not has_role(user, Role.APPLICANT):
        return False
    return project.units.filter(pk__in=user.units.values("pk")).exists()


def can_use_api_tokens(user: Any) -> bool:
    return _signed_in(user)


# The roles that move or decide on money log in with a second factor (TOTP) when the setting
# SIFRA_REQUIRE_2FA says so.
SECOND_FACTOR_ROLES = {Role.COORDINATOR, Role.DECISION_MAKER, Role.ECONOMIST}


def can_use_second_factor(user: Any) -> bool:
    return has_role(user, *SECOND_FACTOR_ROLES)


def can_reset_second_factor(user: Any) -> bool:
    """Recovery of a lost authenticator goes through the coordinator."""
    return has_role(user, Role.COORDINATOR)


def can_calculate(user: Any) -> bool:
    """The engine is a pure computation on what the caller sends; any signed-in user may."""
    return _signed_in(user)


def can_view_forecasts(user: Any) -> bool:
    """The fund forecast: for those who run, decide on, account for and audit the fund."""
    return has_role(user, Role.COORDINATOR, Role.DECISION_MAKER, Role.ECONOMIST, Role.AUDITOR)


def can_run_forecast(user: Any) -> bool:
    """Starting a forecast (kept, with its policy); the auditor reads them."""
    return has_role(user, Role.COORDINATOR, Role.DECISION_MAKER, Role.ECONOMIST)


def posting_kinds(user: Any) -> set[str]:
    return set(POSTING_KINDS.get(user.role, set())) if _signed_in(user) else set()


# --- Applications -------------------------------------------------------------------------------


def _own_units(user: Any, application: Any) -> bool:
    mine = set(user.units.values_list("pk", flat=True))
    if application.lead_unit_id in mine:
        return True
    return application.units.filter(pk__in=mine).exists()


def can_create_application(user: Any) -> bool:
    return has_role(user, Role.APPLICANT, Role.COORDINATOR)


def can_view_application(user: Any, application: Any) -> bool:
    if has_role(user, Role.COORDINATOR, Role.AUDITOR):
        return True
    if has_role(user, Role.ECONOMIST, Role.DECISION_MAKER):
        return application.status != "draft"
    if has_role(user, Role.COUNCIL):
        return application.reviews.filter(reviewer=user).exists()
    return has_role(user, Role.APPLICANT) and _own_units(user, application)


def can_write_application(user: Any, application: Any) -> bool:
    """The applying units (and the coordinator) write and submit, in the states that allow it."""
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.APPLICANT) and _own_units(user, application)


def can_edit_application(user: Any, application: Any) -> bool:
    """Editing is open while the application is a draft or returned for completion."""
    return application.status in ("draft", "returned") and can_write_application(user, application)


def _leads(user: Any, application: Any) -> bool:
    return user.units.filter(pk=application.lead_unit_id).exists()


def can_withdraw_application(user: Any, application: Any) -> bool:
    """The applying (leading) unit withdraws; a unit that only participates may not."""
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.APPLICANT) and _leads(user, application)


def can_change_application_units(user: Any, application: Any) -> bool:
    """Which units take part and which repay is the leading unit's choice: a participating
    unit may write the application but not replace the units."""
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.APPLICANT) and _leads(user, application)


def can_handle_applications(user: Any) -> bool:
    """Completeness checks, returning, sending to review, the proposal."""
    return has_role(user, Role.COORDINATOR)


def can_review(user: Any, application: Any) -> bool:
    return has_role(user, Role.COUNCIL) and application.reviews.filter(reviewer=user).exists()


def can_see_reviews(user: Any, application: Any) -> bool:
    return has_role(user, Role.COORDINATOR, Role.DECISION_MAKER, Role.AUDITOR) or can_review(
        user, application
    )


def can_decide(user: Any) -> bool:
    return has_role(user, Role.DECISION_MAKER)


# --- Follow-up, evaluation and repayment ---------------------------------------------------------


def _project_member(user: Any, project: Any) -> bool:
    return project.units.filter(pk__in=user.units.values("pk")).exists()


def can_report(user: Any, project: Any) -> bool:
    """The project's own units write its reports; the coordinator may help."""
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.APPLICANT) and _project_member(user, project)


def can_approve_reports(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_record_evaluation(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ECONOMIST)


def can_assess_evaluation(user: Any) -> bool:
    return has_role(user, Role.COUNCIL)


def can_manage_repayment(user: Any) -> bool:
    """Agreements, verified savings, claims, repayments and write-offs."""
    return has_role(user, Role.ECONOMIST, Role.COORDINATOR)


def can_view_claims(user: Any, unit: Any = None) -> bool:
    if has_role(user, *STAFF_READERS):
        return True
    return (
        unit is not None
        and has_role(user, Role.APPLICANT)
        and user.units.filter(pk=unit.pk).exists()
    )


def can_upload(user: Any, project: Any) -> bool:
    return can_report(user, project) or can_manage_repayment(user) or has_role(user, Role.COUNCIL)


# --- Accounting export ---------------------------------------------------------------------------


def can_export_accounts(user: Any) -> bool:
    """The SIE file and the account mapping: for those who keep or check the books."""
    return has_role(user, Role.COORDINATOR, Role.ECONOMIST, Role.AUDITOR)


def can_manage_account_mapping(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def users_with_role(role: str) -> Any:
    from sifra.accounts.models import User

    return User.objects.filter(role=role, is_active=True)


# --- Open data ----------------------------------------------------------------------------------


def can_publish(user: Any) -> bool:
    """Marking a decided grant as public, and withdrawing it: the coordinator's call."""
    return has_role(user, Role.COORDINATOR)


# --- Reports -----------------------------------------------------------------------------------


def can_view_annual_report(user: Any) -> bool:
    """The annual fund report holds every project's money and every unit's debts: the roles
    that run, decide on, keep the accounts of and audit the fund."""
    return has_role(user, Role.COORDINATOR, Role.DECISION_MAKER, Role.ECONOMIST, Role.AUDITOR)


def can_view_portfolio(user: Any) -> bool:
    """The portfolio and who paid and who saved: the staff who run, decide, verify and audit."""
    return has_role(user, *STAFF_READERS)


def can_refresh_portfolio(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ECONOMIST)
