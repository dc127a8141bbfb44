"""The denormalised text a project is found by: Chinese, pinyin and pinyin initials.

Stored on :attr:`Project.search_text` (lower case) and kept up to date on save, so a search
is a substring match on one column — one index on PostgreSQL (trigram GIN), one scan of a
narrow column on SQLite — instead of pinyin work at query time.

Every part is *squeezed* — lower case, NFKC, no spaces or separator dots — and so is every
word of a query, so ``松北悦澜湾``, ``松北·悦澜湾`` and ``songbeiyuelanwan`` all find
``松北·悦澜湾一期``. For ``哈尔滨市南岗区`` the text holds ``哈尔滨市南岗区``, the full pinyin
``haerbinshinangangqu`` and the initials ``hebsngq``; ``儿/尔`` (``er``) also gives an ``r`` initial, so the
abbreviation people actually write for Harbin, ``hrb``, matches too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Between fields, so a match never spans two of them (e.g. the end of the name and the
# start of the address).
SEPARATOR = " | "

# Spaces and the dots, dashes and brackets that names are written with or without:
# "松北·悦澜湾", "松北•悦澜湾", "松北 悦澜湾" and "松北悦澜湾" are the same name to a reader.
_NOISE = re.compile(r"[\s·•・‧∙⋅.。、,，\-—–_/\\()（）\[\]【】「」『』《》〈〉'\"“”‘’|]+")


def squeeze(text: str) -> str:
    """Lower case, full-width letters and digits made plain (NFKC), separators removed."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


def query_terms(query: str) -> list[str]:
    """The words of a search as :func:`squeeze` stores them (words are split on spaces)."""
    words = unicodedata.normalize("NFKC", query).split()
    return [term for term in (squeeze(w) for w in words) if term]


@lru_cache(maxsize=8192)
def _syllables(text: str) -> tuple[str, ...]:
    # Names, developers and places repeat across a province's projects (a developer's rename
    # recomputes all its projects): each is converted once per process.
    #
    # pypinyin is imported here, on the first conversion, not with the module: its phrase
    # dictionaries take ~56 MB of memory, and a web worker that only serves pages and
    # searches (the stored search text needs no conversion to be matched) never pays it.
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


def full_pinyin(text: str) -> str:
    """``哈尔滨 1号`` → ``haerbin 1hao`` (syllables joined, other characters kept)."""
    return "".join(_syllables(text)).lower()


def initials(text: str) -> list[str]:
    """Pinyin initials of ``text``: ``哈尔滨`` → ``["heb", "hrb"]`` (``er`` also read as ``r``).

    Non-Chinese runs are kept as they are. Only one variant is added (every ``er`` as ``r``),
    so a name never produces more than two strings.
    """
    syllables = _syllables(text)
    plain = []
    retroflex = []
    for syllable in syllables:
        if syllable.isascii() and syllable.isalpha() and syllable.islower():
            plain.append(syllable[0])
            retroflex.append("r" if syllable == "er" else syllable[0])
        else:
            plain.append(syllable)
            retroflex.append(syllable)
    variants = ["".join(plain).lower(), "".join(retroflex).lower()]
    return list(dict.fromkeys(variants))


def build_search_text(
    *,
    code: str,
    name: str,
    address: str,
    developer: str,
    district: str,
    credit_code: str = "",
    city: str,
    district_en: str = "",
    city_en: str = "",
) -> str:
    """The lower-case search text of a project from its parts (see the module docstring).

    The squeezed name always comes first (empty or not): the name tier of the search's
    relevance order is "every word is in the first part" (:func:`name_part`), in SQL too.
    """
    chinese = [address, developer, city + district]
    pinyin = [full_pinyin(part) for part in (name, address, developer, city + district)]
    short = [v for part in (name, developer, city, district) for v in initials(part)]
    english = [f"{city_en} {district_en}".strip()]
    parts = [code, credit_code, *chinese, *pinyin, *short, *english]
    rest = [squeeze(p) for p in parts if p and squeeze(p)]
    return SEPARATOR.join([squeeze(name), *rest])


def name_part(search_text: str) -> str:
    """The squeezed name: the search text up to its first separator."""
    return search_text.split(SEPARATOR, 1)[0]


def short_grams(text: str) -> set[str]:
    """Every one- and two-character substring of ``text`` that a query word can be.

    Query words never hold a space or ``|`` (see :func:`squeeze`), so substrings across the
    separator are left out. A word of one or two characters is in the text exactly when it
    is in this set: the search index for words too short for trigrams.
    """
    grams = set()
    for part in text.split(SEPARATOR):
        for i, char in enumerate(part):
            grams.add(char)
            grams.add(part[i : i + 2])
    return {g for g in grams if " " not in g and "|" not in g}


def search_text_for(project) -> str:
    """The search text of a saved or unsaved project (reads its region, city and developer)."""
    region = project.region
    city = region.parent if region.parent_id and region.level == "county" else None
    return build_search_text(
        code=project.code,
        name=project.name,
        address=project.address,
        developer=project.developer.name,
        credit_code=project.developer.credit_code,
        district=region.name if city else "",
        city=city.name if city else region.name,
        district_en=region.name_en if city else "",
        city_en=city.name_en if city else region.name_en,
    )
