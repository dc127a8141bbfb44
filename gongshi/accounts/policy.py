"""Who must use a second factor (TOTP) to sign in."""

from __future__ import annotations

from gongshi.core.choices import OrganisationType


def requires_second_factor(user) -> bool:
    """Staff, superusers and anyone in a regulator (住建部门) must use TOTP.

    These accounts can change the catalogue, regions and accounts, or publish regulatory
    records that name companies in public; a stolen password alone must not be enough.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.memberships.filter(organisation__kind=OrganisationType.REGULATOR).exists()
