"""Do the typed fields appear on the scan? Pure text matching, no OCR, no Django models.

The fields checked are those a scan of a permit or certificate prints verbatim: certificate,
permit, filing and record numbers (keys ending ``_number``), unified social credit codes
(``credit_code``), the project name and the issue date. Both sides are normalised (NFKC, so
full-width ｜ half-width; spaces and punctuation dropped; letters upper-cased; the letters OCR
confuses with digits folded into them inside codes), then the typed value must occur in the
scan's text. A date matches any way it may be printed (2026年5月1日, 2026-05-01, 2026.5.1).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass

DATE_KEYS = {"issue_date"}
NAME_KEYS = {"project_name"}
NAME_SIMILARITY = 0.85  # one misread character in seven still counts as the name


def checked(definition: dict) -> bool:
    key, kind = definition.get("key", ""), definition.get("type")
    if kind == "date":
        return key in DATE_KEYS
    if kind != "text":
        return False
    return key in NAME_KEYS or key.endswith("_number") or key.endswith("credit_code")


def is_code(key: str) -> bool:
    return key not in NAME_KEYS and key not in DATE_KEYS


_DROP = re.compile(r"[\s\-_—–·・.,，。:：;；/\\()（）\[\]【】\"'“”‘’]+")
# Inside numbers and codes, letters OCR reads for digits (and back) are one symbol.
_CODE_FOLD = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8"}
)


def normalise(text: str, *, code: bool = False) -> str:
    text = _DROP.sub("", unicodedata.normalize("NFKC", text)).upper()
    return text.translate(_CODE_FOLD) if code else text


_DATE = re.compile(r"(\d{4})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")


def dates_in(text: str) -> list[dt.date]:
    found = []
    for year, month, day in _DATE.findall(unicodedata.normalize("NFKC", text)):
        try:
            found.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return found


@dataclass(frozen=True)
class Mismatch:
    key: str
    typed: str
    found: str  # what the scan shows where that field is printed, "" if nothing was found


def _candidate(text: str, labels: list[str]) -> str:
    """The text after a field's label on the scan (``编号：X``), to show the developer."""
    for line in text.splitlines():
        for label in labels:
            if label and label in line:
                rest = line.split(label, 1)[1].lstrip(" :：")
                if rest:
                    return rest.strip()[:100]
    return ""


def _name_present(typed: str, text: str) -> bool:
    want = normalise(typed)
    if not want:
        return True
    for line in text.splitlines():
        have = normalise(line)
        if want in have:
            return True
        for start in range(0, max(1, len(have) - len(want) + 1)):
            window = have[start : start + len(want)]
            if difflib.SequenceMatcher(None, want, window).ratio() >= NAME_SIMILARITY:
                return True
    return False


LABELS = {
    "certificate_number": ["证书编号", "编号", "证号"],
    "project_name": ["工程名称", "项目名称"],
    "issue_date": ["发证日期", "日期"],
    "credit_code": ["统一社会信用代码", "信用代码"],
}


def compare(definition: dict, value, text: str) -> Mismatch | None:
    """None if the typed ``value`` of the field is on the scan's ``text``."""
    key = definition["key"]
    typed = "" if value is None else str(value).strip()
    if not typed:
        return None
    labels = LABELS.get(key, []) + [definition.get("label", "")]
    if definition.get("type") == "date":
        try:
            wanted = dt.date.fromisoformat(typed)
        except ValueError:
            return None
        found = dates_in(text)
        if wanted in found:
            return None
        return Mismatch(key, typed, found[-1].isoformat() if found else "")
    if key in NAME_KEYS:
        present = _name_present(typed, text)
    else:
        present = normalise(typed, code=True) in normalise(text, code=True)
    return None if present else Mismatch(key, typed, _candidate(text, labels))


def mismatches(fields: list[dict], values: dict, text: str) -> list[Mismatch]:
    found = []
    for definition in fields:
        if checked(definition):
            mismatch = compare(definition, values.get(definition["key"]), text)
            if mismatch is not None:
                found.append(mismatch)
    return found
