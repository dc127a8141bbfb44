"""Build valid unified social credit codes (GB 32100) for demo data and tests.

A code is: registration authority (1) + organisation category (1) + GB/T 2260 region (6) +
organisation code (9, GB 11714, with its own check character) + check character (1).
"""

from stdnum.cn import uscc

_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_code_check(body: str) -> str:
    """GB 11714 check character for the 8-character body of an organisation code."""
    total = sum(
        _ORG_CODE_ALPHABET.index(c) * w for c, w in zip(body, _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(
    region_code: str, serial: int, *, authority: str = "9", category: str = "1"
) -> str:
    """A valid credit code for a company registered in ``region_code``; ``serial`` makes it unique.

    ``authority``/``category``: 9/1 is a company registered with market regulation;
    1/1 is a government body (a housing authority).
    """
    body = f"{serial % 10**8:08d}"
    org_code = body + organisation_code_check(body)
    partial = f"{authority}{category}{region_code}{org_code}"
    return partial + uscc.calc_check_digit(partial)
