from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalise_credit_code(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    """Unified social credit code (统一社会信用代码, GB 32100): 18 characters with a check character."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，当前为 %(n)d 位，请核对。"),
            code="length",
            params={"n": len(uscc.compact(value))},
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V），请核对。"), code="format"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对最后一位。"), code="checksum"
        ) from None
    except StdnumError:
        raise ValidationError(_("统一社会信用代码无效，请核对。"), code="invalid") from None
