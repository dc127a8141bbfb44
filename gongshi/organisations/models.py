from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongshi.core.choices import OrganisationType
from gongshi.organisations.validators import normalise_credit_code, validate_credit_code


class OrganisationQuerySet(models.QuerySet):
    def regulators(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationType.REGULATOR)


class RegistrationStatus(models.TextChoices):
    """Whether a self-registered organisation has been approved by the regulator of its city.

    Organisations an administrator creates are approved; one that registered itself is pending
    until a regulator decides. A pending or rejected organisation prepares but never publishes.
    """

    APPROVED = "approved", _("已审核通过")
    PENDING = "pending", _("待审核")
    REJECTED = "rejected", _("未通过审核")


class Organisation(models.Model):
    """A company or authority: a developer, one of the six participating unit types, or a regulator."""

    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("类型"), max_length=20, choices=OrganisationType.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在/管辖地区"),
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("主管部门为其管辖地区；企业为注册地。"),
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("成员"),
    )
    registration_status = models.CharField(
        _("注册审核状态"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPROVED,
        help_text=_("自行注册的单位经所在城市主管部门审核通过后才能公示。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        # Normalise first, so a code pasted with spaces or in lower case is checked (and
        # length-limited) as the 18 characters it stands for.
        self.credit_code = normalise_credit_code(self.credit_code)
        super().clean_fields(exclude=exclude)

    @property
    def is_approved(self) -> bool:
        return self.registration_status == RegistrationStatus.APPROVED

    @property
    def is_regulator(self) -> bool:
        return self.kind == OrganisationType.REGULATOR


class MembershipRole(models.TextChoices):
    MANAGER = "manager", _("管理员")
    MEMBER = "member", _("成员")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("角色"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        verbose_name = _("成员关系")
        verbose_name_plural = _("成员关系")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="membership_unique_user_org",
                violation_error_message=_("该用户已是此单位成员。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
