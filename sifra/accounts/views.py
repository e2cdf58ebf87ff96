"""People, units, partners and the organisation for coordinators (auditors read them), and every
signed-in user's own API tokens."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from sifra.accounts import permissions, second_factor, services
from sifra.accounts.forms import (
    LoginForm,
    OrganisationForm,
    PartnerForm,
    PasswordChangeForm,
    SecondFactorCodeForm,
    TokenForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
)
from sifra.accounts.models import ApiToken, Organisation, Partner, Unit, User
from sifra.core.forms import run_service
from sifra.core.http import require


def _organisation() -> Organisation:
    """The one organisation; the demo or setup creates it, so a missing one is a 404."""
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        raise Http404
    return organisation


def _unit_tree(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units depth first, each with its depth: committees with their administrations under them.
    A unit whose parent is outside the list is shown as a root."""
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    tree: list[tuple[Unit, int]] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        tree.append((unit, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(unit.pk, [])))
    return tree


login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


def _account_context(user: Any) -> dict[str, bool]:
    """What the account pages' menu offers this user."""
    return {"uses_second_factor": permissions.can_use_second_factor(user)}


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """A user's own password. The session stays signed in; other sessions end, because Django
    ties each session to the password it was opened with."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = run_service(
            form,
            services.user_password_change,
            user=request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["password"],
            acting_user=request.user,
        )
        if user:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:password_change")
    context = {"form": form, **_account_context(request.user)}
    return render(request, "accounts/password_change.html", context)


# --- The second factor ---------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: the page asked for, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else "/"


def _redirect_keeping_next(request: HttpRequest, name: str) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _verified(request: HttpRequest, device: Any) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()
    return redirect(_next_url(request))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its QR code and key, confirmed with a code from it."""
    require(permissions.can_use_second_factor(request.user))
    if second_factor.confirmed_device(request.user) is not None:
        return _second_factor_status(request)
    user: User = request.user  # type: ignore[assignment]
    device = services.second_factor_start(user=user, acting_user=user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = run_service(
            form,
            services.second_factor_confirm,
            user=request.user,
            code=form.cleaned_data["code"],
            acting_user=request.user,
        )
        if confirmed:
            messages.success(request, _("Your second factor is set up."))
            return _verified(request, confirmed)
    context = {
        "form": form,
        "qr_svg": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "next": _next_url(request),
        **_account_context(request.user),
    }
    return render(request, "accounts/second_factor_setup.html", context)


def _second_factor_status(request: HttpRequest) -> HttpResponse:
    """Set up already: an unverified session must verify first; replacing it takes a reset."""
    if second_factor.needs_verification(request.user):
        return _redirect_keeping_next(request, "accounts:second_factor_verify")
    return render(request, "accounts/second_factor_done.html", _account_context(request.user))


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The step after the password: the current code from the user's authenticator app."""
    require(permissions.can_use_second_factor(request.user))
    if second_factor.confirmed_device(request.user) is None:
        return _redirect_keeping_next(request, "accounts:second_factor")
    if not second_factor.needs_verification(request.user):
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            return _verified(request, device)
        form.add_error("code", services.WRONG_CODE)
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/second_factor_verify.html", context)


@login_required
@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_reset_second_factor(request.user))
    person = get_object_or_404(User, pk=pk)
    services.user_second_factor_reset(user=person, acting_user=request.user)
    messages.success(
        request,
        _("The second factor of %(name)s was reset; they set up a new one at their next login.")
        % {"name": person},
    )
    return redirect("accounts:user_edit", pk=person.pk)


# --- Users ---------------------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_people(request.user))
    return render(
        request,
        "accounts/user_list.html",
        {
            "users": User.objects.prefetch_related("units").order_by("username"),
            "can_manage": permissions.can_manage_people(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_people(request.user))
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = run_service(
            form,
            services.user_create,
            username=d["username"],
            password=d["password"],
            role=d["role"],
            units=list(d["units"]),
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"],
            acting_user=request.user,
        )
        if user:
            messages.success(request, _("The user %(name)s was created.") % {"name": user})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_manage_people(request.user))
    person = get_object_or_404(User, pk=pk)
    form = UserEditForm(request.POST or None, user=person)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = run_service(
            form,
            services.user_update,
            user=person,
            units=list(d["units"]),
            password=d["password"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            email=d["email"],
            role=d["role"],
            is_active=d["is_active"],
            acting_user=request.user,
        )
        if saved:
            messages.success(request, _("The user %(name)s was saved.") % {"name": saved})
            return redirect("accounts:users")
    context = {
        "form": form,
        "person": person,
        "uses_second_factor": permissions.can_use_second_factor(person),
        "second_factor_set_up": second_factor.confirmed_device(person) is not None,
    }
    return render(request, "accounts/user_form.html", context)


# --- Units ---------------------------------------------------------------------------------------


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_people(request.user))
    units = list(Unit.objects.select_related("parent").order_by("name"))
    return render(
        request,
        "accounts/unit_list.html",
        {
            "tree": _unit_tree(units),
            "can_manage": permissions.can_manage_people(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_people(request.user))
    organisation = _organisation()
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        unit = run_service(
            form,
            services.unit_create,
            organisation=organisation,
            acting_user=request.user,
            **form.cleaned_data,
        )
        if unit:
            messages.success(request, _("The unit %(name)s was created.") % {"name": unit})
            return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_manage_people(request.user))
    unit = get_object_or_404(Unit, pk=pk)
    # The form gets its own copy: a ModelForm changes its instance while it validates.
    form = UnitForm(
        request.POST or None, instance=Unit.objects.get(pk=pk), organisation=unit.organisation
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, services.unit_update, unit=unit, acting_user=request.user, **form.cleaned_data
        )
        if saved:
            messages.success(request, _("The unit %(name)s was saved.") % {"name": saved})
            return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


# --- Partners ------------------------------------------------------------------------------------


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_people(request.user))
    return render(
        request,
        "accounts/partner_list.html",
        {
            "partners": Partner.objects.order_by("name"),
            "can_manage": permissions.can_manage_people(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_manage_people(request.user))
    organisation = _organisation()
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = run_service(
            form,
            services.partner_create,
            organisation=organisation,
            acting_user=request.user,
            **form.cleaned_data,
        )
        if partner:
            messages.success(request, _("The partner %(name)s was created.") % {"name": partner})
            return redirect("accounts:partners")
    return render(request, "accounts/partner_form.html", {"form": form, "partner": None})


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(permissions.can_manage_people(request.user))
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(request.POST or None, instance=Partner.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            services.partner_update,
            partner=partner,
            acting_user=request.user,
            **form.cleaned_data,
        )
        if saved:
            messages.success(request, _("The partner %(name)s was saved.") % {"name": saved})
            return redirect("accounts:partners")
    return render(request, "accounts/partner_form.html", {"form": form, "partner": partner})


# --- The organisation ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_people(request.user))
    organisation = _organisation()
    can_manage = permissions.can_manage_people(request.user)
    if request.method == "POST":
        require(can_manage)
    form = OrganisationForm(
        request.POST or None, instance=Organisation.objects.get(pk=organisation.pk)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            form,
            services.organisation_update,
            organisation=organisation,
            name=d["name"],
            org_number=d["org_number"],
            acting_user=request.user,
        ):
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organisation")
    return render(
        request,
        "accounts/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "can_manage": can_manage,
        },
    )


# --- API tokens ----------------------------------------------------------------------------------


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    require(permissions.can_use_api_tokens(request.user))
    return render(
        request,
        "accounts/token_list.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "form": TokenForm(),
            **_account_context(request.user),
        },
    )


@never_cache
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """The key is shown on this response only: it is not stored and the page is not cached."""
    require(permissions.can_use_api_tokens(request.user))
    form = TokenForm(request.POST)
    if form.is_valid():
        created = run_service(
            form,
            services.api_token_create,
            user=request.user,
            name=form.cleaned_data["name"],
            acting_user=request.user,
        )
        if created:
            token, key = created
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(
        request,
        "accounts/token_list.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "form": form,
            **_account_context(request.user),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, acting_user=request.user)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
