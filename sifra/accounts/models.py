"""The organisation, its units, external partners and the people who use Sifra."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sifra.core.models import PersonalNumberFree


class Organisation(PersonalNumberFree):
    """The municipality or region that owns the funds."""

    free_text_fields = ("name",)

    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Organisation":
        """One installation serves one organisation (created by `sifra setup`)."""
        return cls.objects.order_by("pk")[:1].get()


class Unit(PersonalNumberFree):
    """A committee (nämnd) or an administration (förvaltning), arranged as a tree."""

    free_text_fields = ("name", "code")

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("committee")
        ADMINISTRATION = "administration", _("administration")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("short name"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("belongs to"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["Unit"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Partner(PersonalNumberFree):
    """An actor outside the organisation that takes part in projects, bears costs or gains:
    the region, a state agency, a civic organisation."""

    free_text_fields = ("name",)

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        STATE = "state", _("state agency")
        CIVIC = "civic", _("civic organisation")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    org_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("external partner")
        verbose_name_plural = _("external partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        """The calculation engine's sector for this partner."""
        return {"region": "region", "state": "stat"}.get(self.kind, "ovrigt")


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    COORDINATOR = "coordinator", _("fund coordinator")
    COUNCIL = "council", _("council member")
    DECISION_MAKER = "decision_maker", _("decision maker")
    ECONOMIST = "economist", _("economist")
    AUDITOR = "auditor", _("auditor")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    units = models.ManyToManyField(
        Unit, blank=True, related_name="members", verbose_name=_("units")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(PersonalNumberFree):
    """A bearer token for scripts. Only its SHA-256 digest is stored; the key is shown once."""

    free_text_fields = ("name",)

    PREFIX = "sifra_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_key(cls) -> tuple[str, str, str]:
        key = cls.PREFIX + secrets.token_urlsafe(32)
        return key, _digest(key), key[: len(cls.PREFIX) + 4]

    @classmethod
    def find_active(cls, key: str) -> "ApiToken | None":
        return (
            cls.objects.select_related("user")
            .filter(digest=_digest(key), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
