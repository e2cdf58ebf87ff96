"""Forms for people, units, partners, the organisation and API tokens. They check the shape of
the input; the services decide what is allowed."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sifra.accounts.models import Organisation, Partner, Role, Unit, User

# Long enough for any passphrase; short enough that hashing an absurd one costs nothing.
PASSWORD_MAX_LENGTH = 128


def _password_field(label: Any, autocomplete: str, **kwargs: Any) -> forms.CharField:
    """A password as typed (never stripped), bounded, with the browser's autocomplete hint."""
    return forms.CharField(
        label=label,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        **kwargs,
    )


PASSWORDS_DIFFER = _("The two passwords differ.")
# One message for a wrong password, an unknown user and a lockout alike, so that the answer does
# not tell an attacker which usernames exist or which are locked.
LOGIN_FAILED = _("Wrong username or password, or too many attempts: try again later.")


def _units_queryset(user: User | None = None) -> Any:
    """Active units, plus the ones the user already belongs to, so editing keeps them."""
    active = Q(is_active=True)
    if user is not None:
        active |= Q(pk__in=user.units.values("pk"))
    return Unit.objects.filter(active).order_by("name")


class _PasswordsMixin:
    def _check_passwords_match(self, cleaned: dict[str, Any]) -> None:
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", PASSWORDS_DIFFER)  # type: ignore[attr-defined]


class UserCreateForm(_PasswordsMixin, forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    units = forms.ModelMultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("An applicant must belong to at least one unit."),
    )
    password = _password_field(_("Password"), "new-password")
    password_again = _password_field(_("Password again"), "new-password")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units_queryset()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_passwords_match(cleaned)
        return cleaned


class UserEditForm(_PasswordsMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    units = forms.ModelMultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("An applicant must belong to at least one unit."),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A user who is not active cannot log in or use API tokens."),
    )
    password = _password_field(
        _("New password"),
        "new-password",
        required=False,
        help_text=_("Leave empty to keep the current password."),
    )
    password_again = _password_field(_("New password again"), "new-password", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": user.role,
                "units": list(user.units.all()),
                "is_active": user.is_active,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units_queryset(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_passwords_match(cleaned)
        return cleaned


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent", "is_active"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(organisation=organisation).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].help_text = _("An administration belongs to its committee.")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "org_number", "is_active"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "org_number"]
        help_texts = {"org_number": _("For example 212000-1234.")}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example the script that uses it."),
    )


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}
    username = UsernameField(max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    password = _password_field(_("Password"), "current-password")


class PasswordChangeForm(_PasswordsMixin, forms.Form):
    """A user's own password; the service checks the current one and the validators."""

    old_password = _password_field(_("Current password"), "current-password")
    password = _password_field(_("New password"), "new-password")
    password_again = _password_field(_("New password again"), "new-password")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_passwords_match(cleaned)
        return cleaned


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
