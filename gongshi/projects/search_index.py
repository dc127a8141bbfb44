"""The database's own index for project search, on SQLite and on PostgreSQL.

A search word matches a project when it is a substring of the project's search text
(:mod:`gongshi.projects.search_text`). A substring scan is linear in the number of
projects; at a province's or a country's 100,000 projects each engine answers from an index:

**SQLite** — two FTS5 tables, kept by triggers on ``projects_project`` (the migration builds
them; ``projects/0006``):

* ``projects_search`` (trigram tokenizer, case-sensitive: text and words are already lower
  case): columns ``name`` (the squeezed name, the first part of the search text) and
  ``body`` (the whole search text and the filter marks below). A word of three or more
  characters is the phrase of its trigrams — exactly a substring match.
* ``projects_search_short`` (ascii tokenizer, ``detail=column``): the same two columns
  holding every one- and two-character substring as a token (hex of its UTF-8 bytes, so
  any character is one token), for words too short for trigrams (``园``, ``花园``, ``hy``).

Both also hold the project's filters — its region code at every level, its stage, housing
type and delivery standard — so a search with filters is answered by the index alone: the
count, the name tier and the page all come from FTS doclists, never from the project rows
(reading 10,000 rows to count them is what made a search linear). The hex grams are
computed by the Python function ``gongshi_search_grams``, registered on every SQLite
connection Django opens; a write to ``projects_project`` from a connection without it
(``sqlite3`` on the command line) fails with "no such function" rather than leave the index
behind.

A count is the one part of a search linear in its hits (a phrase checked on every row that
holds it); a count of many hits is kept in the cache under the index's *generation*, a
random number in ``projects_search_generation`` that triggers change on every write the
index sees (``projects/0011``), so a kept count is exact while it is read.

**PostgreSQL** — an expression GIN index over the same short grams
(``gongshi_short_grams(search_text)``, an immutable SQL function) for words of one or two
characters, and the ``pg_trgm`` GIN index ``project_search_trgm`` for longer ones (a
``LIKE '%word%'`` yields no trigram for a word under three characters, so pg_trgm alone
scanned the whole index for ``园``).

Both engines give the same results in the same order (tested): every word must match;
projects whose name holds every word come first, then the newest first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from gongshi.projects.search_text import SEPARATOR, short_grams

TRIGRAM_TABLE = "projects_search"
NAME_TABLE = "projects_search_name"
SHORT_TABLE = "projects_search_short"
GENERATION_TABLE = "projects_search_generation"
MARK = "\x1f"  # never in a search text (squeeze drops it: it is whitespace to Python)


def hex_grams(text: str) -> str:
    """The tokens of ``projects_search_short``: every short gram as hex, space-separated."""
    return " ".join(sorted(g.encode().hex() for g in short_grams(text)))


def register_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the SQL function the search triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "gongshi_search_grams", 1, hex_grams, deterministic=True
        )


# --- SQLite: the tables, their triggers, and filling them ------------------------------------

# The squeezed name: the search text up to its first separator (search_text.name_part).
_NAME = "substr({r}.search_text, 1, instr({r}.search_text || '{sep}', '{sep}') - 1)"
_REGION = "(SELECT code FROM regions_region WHERE id = {r}.region_id)"
# Filter marks in the trigram table: a region filter is a prefix of the code, so a phrase
# "\x1fr2301" finds the city's projects; stage and the others end with the mark.
# A region's mark is exactly three characters — one trigram, one doclist — for its code
# at each level (province 23 → 230000, city 2301 → 230100, the county's own code): the
# mark and two private-use characters carrying the code's first and last three digits.
_REGION_MARK = (
    "char(31, 57344 + CAST(substr({code}, 1, 3) AS INTEGER),"
    " 57344 + CAST(substr({code}, 4, 3) AS INTEGER))"
)
_MARKS = (
    " || ".join(
        _REGION_MARK.format(code=code)
        for code in (
            "substr({region}, 1, 2) || '0000'",
            "substr({region}, 1, 4) || '00'",
            "{region}",
        )
    )
    + " || char(31) || 's' || {r}.stage || char(31) || 'h' || {r}.housing_type"
    " || char(31) || 'd' || {r}.delivery_standard || char(31)"
)
# Filter tokens in the short table: letters outside 0-9a-f, so never a hex gram.
_SHORT_BODY = (
    "gongshi_search_grams({r}.search_text)"
    " || ' xr' || substr({region}, 1, 2) || ' xr' || substr({region}, 1, 4) || ' xr' || {region}"
    " || ' xs' || replace({r}.stage, '_', '') || ' xh' || {r}.housing_type"
    " || ' xd' || {r}.delivery_standard"
)


def _values(row: str) -> dict[str, str]:
    region = _REGION.format(r=row)
    name = _NAME.format(r=row, sep=SEPARATOR)
    marks = _MARKS.format(r=row, region=region)
    return {
        "trigram_body": f"{row}.search_text || '{SEPARATOR}' || {marks}",
        "trigram_name": f"{name} || '{SEPARATOR}' || {marks}",
        "short_name": f"gongshi_search_grams({name})",
        "short_body": _SHORT_BODY.format(r=row, region=region),
    }


# (table, its columns, the _values keys that fill them)
_TABLES = [
    (TRIGRAM_TABLE, ["body"], ["trigram_body"]),
    (NAME_TABLE, ["name"], ["trigram_name"]),
    (SHORT_TABLE, ["name", "body"], ["short_name", "short_body"]),
]


def _insert(row: str) -> list[str]:
    v = _values(row)
    return [
        f"INSERT INTO {table}(rowid, {', '.join(columns)}) "
        f"VALUES ({row}.id, {', '.join(v[k] for k in keys)});"
        for table, columns, keys in _TABLES
    ]


def _delete(row: str) -> list[str]:
    # Contentless tables forget a row by being told exactly what was indexed for it.
    v = _values(row)
    return [
        f"INSERT INTO {table}({table}, rowid, {', '.join(columns)}) "
        f"VALUES ('delete', {row}.id, {', '.join(v[k] for k in keys)});"
        for table, columns, keys in _TABLES
    ]


def _fill() -> list[str]:
    v = _values("p")
    return [
        f"INSERT INTO {table}(rowid, {', '.join(columns)}) "
        f"SELECT p.id, {', '.join(v[k] for k in keys)} FROM projects_project p"
        for table, columns, keys in _TABLES
    ]


WATCHED = ("search_text", "region_id", "stage", "housing_type", "delivery_standard")
TRIGGERS = ("projects_search_insert", "projects_search_delete", "projects_search_update")

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {TRIGRAM_TABLE} USING fts5("
    "body, content='', tokenize='trigram case_sensitive 1')",
    f"CREATE VIRTUAL TABLE {NAME_TABLE} USING fts5("
    "name, content='', tokenize='trigram case_sensitive 1')",
    f"CREATE VIRTUAL TABLE {SHORT_TABLE} USING fts5("
    "name, body, content='', detail=column, tokenize='ascii')",
    *_fill(),
    "CREATE TRIGGER projects_search_insert AFTER INSERT ON projects_project BEGIN "
    + " ".join(_insert("new"))
    + " END",
    "CREATE TRIGGER projects_search_delete AFTER DELETE ON projects_project BEGIN "
    + " ".join(_delete("old"))
    + " END",
    f"CREATE TRIGGER projects_search_update AFTER UPDATE OF {', '.join(WATCHED)} "
    "ON projects_project WHEN "
    + " OR ".join(f"old.{c} IS NOT new.{c}" for c in WATCHED)
    + " BEGIN "
    + " ".join(_delete("old") + _insert("new"))
    + " END",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS projects_search_insert",
    "DROP TRIGGER IF EXISTS projects_search_delete",
    "DROP TRIGGER IF EXISTS projects_search_update",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
    f"DROP TABLE IF EXISTS {NAME_TABLE}",
    f"DROP TABLE IF EXISTS {SHORT_TABLE}",
]

# The generation of what the search can see: a random number changed by every write that
# changes the index (the triggers below), so a count kept under it is exact while it stands.
# Random rather than a counter: a rolled-back write restores the old number, whose counts
# are again the committed ones, and a later write cannot reuse the rolled-back number.
GENERATION_TRIGGERS = (
    "projects_search_generation_insert",
    "projects_search_generation_delete",
    "projects_search_generation_update",
)
_NEXT_GENERATION = f"UPDATE {GENERATION_TABLE} SET n = random();"
GENERATION_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {GENERATION_TABLE} ("
    "id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
    f"INSERT OR IGNORE INTO {GENERATION_TABLE}(id, n) VALUES (1, random())",
    "CREATE TRIGGER IF NOT EXISTS projects_search_generation_insert AFTER INSERT "
    f"ON projects_project BEGIN {_NEXT_GENERATION} END",
    "CREATE TRIGGER IF NOT EXISTS projects_search_generation_delete AFTER DELETE "
    f"ON projects_project BEGIN {_NEXT_GENERATION} END",
    "CREATE TRIGGER IF NOT EXISTS projects_search_generation_update "
    f"AFTER UPDATE OF {', '.join(WATCHED)} ON projects_project WHEN "
    + " OR ".join(f"old.{c} IS NOT new.{c}" for c in WATCHED)
    + f" BEGIN {_NEXT_GENERATION} END",
]
GENERATION_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in GENERATION_TRIGGERS),
    f"DROP TABLE IF EXISTS {GENERATION_TABLE}",
]

# --- PostgreSQL ------------------------------------------------------------------------------

POSTGRES_CREATE = [
    # The same grams as search_text.short_grams (substrings across " | " cannot be a word).
    """
    CREATE OR REPLACE FUNCTION gongshi_short_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
      SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
        SELECT substr(t, i, n) AS g
        FROM generate_series(1, length(t)) AS i, (VALUES (1), (2)) AS v(n)
        WHERE i + n - 1 <= length(t)
      ) AS s
      WHERE strpos(g, ' ') = 0 AND strpos(g, '|') = 0
    $$
    """,
    # Serves ProjectQuerySet.matching() for words of one or two characters.
    "CREATE INDEX IF NOT EXISTS project_search_short_grams ON projects_project "
    "USING gin (gongshi_short_grams(search_text))",
]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS project_search_short_grams",
    "DROP FUNCTION IF EXISTS gongshi_short_grams(text)",
]


# --- Queries ---------------------------------------------------------------------------------


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Filters:
    """What a search narrows by besides its words (all optional)."""

    region_prefix: str = ""  # "23", "2301" or "230102" (Region.prefix)
    stage: str = ""
    housing_type: str = ""
    delivery_standard: str = ""

    def trigram_marks(self, column: str) -> list[str]:
        marks = []
        if self.region_prefix:
            code = self.region_prefix.ljust(6, "0")
            marks.append(MARK + chr(0xE000 + int(code[:3])) + chr(0xE000 + int(code[3:])))
        for letter, value in (
            ("s", self.stage),
            ("h", self.housing_type),
            ("d", self.delivery_standard),
        ):
            if value:
                marks.append(f"{MARK}{letter}{value}{MARK}")
        return [f"{column} : {_phrase(m)}" for m in marks]

    def short_tokens(self) -> list[str]:
        tokens = []
        if self.region_prefix:
            tokens.append(f"xr{self.region_prefix}")
        if self.stage:
            tokens.append("xs" + self.stage.replace("_", ""))
        if self.housing_type:
            tokens.append(f"xh{self.housing_type}")
        if self.delivery_standard:
            tokens.append(f"xd{self.delivery_standard}")
        return [f"body : {t}" for t in tokens]


# A count of at least this many hits is kept (FtsSearch.count); a smaller one costs
# a few milliseconds to make again.
BROAD_COUNT = 10_000
COUNT_KEPT_SECONDS = 3600


@dataclass
class FtsSearch:
    """One search answered from the SQLite FTS tables alone (see the module docstring).

    *Hits* hold every word anywhere in the search text; *name hits* hold every word in the
    name. Both satisfy the filters. Pages run newest first (FTS5 walks its doclists by
    rowid, so ``ORDER BY rowid DESC LIMIT 20`` stops after 20).
    """

    terms: list[str]
    filters: Filters = field(default_factory=Filters)
    using: str = "default"

    def __post_init__(self) -> None:
        self.long = [t for t in self.terms if len(t) >= 3]
        self.short = [t for t in self.terms if len(t) < 3]

    def parts(self, names: bool = False) -> list[tuple[str, str]]:
        """(table, MATCH expression) pairs whose rowids intersect to the (name) hits."""
        table, column = (NAME_TABLE, "name") if names else (TRIGRAM_TABLE, "body")
        long = [f"{column} : {_phrase(t)}" for t in self.long]
        short_column = "name" if names else "body"
        short = [f"{short_column} : {t.encode().hex()}" for t in self.short]
        # The filters go with the words of one table (a filter alone: the short table).
        if self.short or not self.long:
            short += self.filters.short_tokens()
        else:
            long += self.filters.trigram_marks(column)
        parts = []
        if long:
            parts.append((table, " AND ".join(long)))
        if short:
            parts.append((SHORT_TABLE, " AND ".join(short)))
        return parts

    def _select(self, names: bool) -> tuple[str, list[str]]:
        parts = self.parts(names)
        selects = [f"SELECT rowid FROM {t} WHERE {t} MATCH %s" for t, _ in parts]
        return " INTERSECT ".join(selects), [e for _, e in parts]

    def _run(self, sql: str, params: list) -> list:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self) -> int:
        if self._intersected(names=False):
            return len(self._all(names=False))
        sql, params = self._select(names=False)
        # Counting is the one part linear in the hits (`haerbin` holds 83 % of the projects:
        # a phrase checked on 82,714 rows, ~30 ms), so a broad count is kept in the cache
        # under the index's generation, which every write to the index changes. The
        # generation is read first: a write committed between the two reads leaves a count
        # of the newer rows under the older generation, which no later search reads.
        generation = self._run(f"SELECT n FROM {GENERATION_TABLE}", [])[0][0]
        database = connections[self.using].settings_dict["NAME"]
        key = (
            "search-count:"
            + hashlib.sha256(repr((str(database), generation, sql, params)).encode()).hexdigest()
        )
        if (kept := cache.get(key)) is not None:
            return kept
        hits = self._run(f"SELECT count(*) FROM ({sql})", params)[0][0]
        if hits >= BROAD_COUNT:
            cache.set(key, hits, COUNT_KEPT_SECONDS)
        return hits

    def _intersected(self, names: bool) -> bool:
        """Whether the hits are an intersection of two tables (a short and a long word, or
        a short word and a long one's filter marks): SQLite's INTERSECT reads both doclists
        whole, so such a search reads its hits once and counts and pages them in memory."""
        return len(self.parts(names)) > 1

    def _all(self, names: bool) -> list[int]:
        cache = self.__dict__.setdefault("_hits", {})
        if names not in cache:
            sql, params = self._select(names)
            cache[names] = [row[0] for row in self._run(f"{sql} ORDER BY 1 DESC", params)]
        return cache[names]

    def _page(self, names: bool, offset: int, limit: int | None) -> list[int]:
        if self._intersected(names):
            ids = self._all(names)
            return ids[offset:] if limit is None else ids[offset : offset + limit]
        sql, params = self._select(names)
        sql = f"SELECT rowid FROM ({sql}) ORDER BY rowid DESC"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params = [*params, limit, offset]
        return [row[0] for row in self._run(sql, params)]

    def page(self, offset: int, limit: int) -> list[int]:
        """Project ids offset..offset+limit in relevance order: name hits, then the rest."""
        ids = self._page(True, offset, limit)
        if len(ids) == limit:
            return ids
        # Past the name hits: the rest are the hits that are not name hits. At most
        # len(named) of the first hits are name hits, so this many hits are enough.
        named = set(self._page(True, 0, None))
        rest_offset = max(0, offset - len(named))
        wanted = limit - len(ids)
        hits = self._page(False, 0, rest_offset + wanted + len(named))
        rest = [pk for pk in hits if pk not in named]
        return ids + rest[rest_offset : rest_offset + wanted]


# --- The QuerySet filter and the name tier, for both engines ---------------------------------


def matching_filter(queryset: QuerySet, terms: list[str]) -> QuerySet:
    """``queryset`` narrowed to projects whose search text holds every word."""
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        for table, expression in FtsSearch(terms).parts():
            queryset = queryset.filter(
                pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [expression])
            )
        return queryset
    # Every short word in one containment test (one scan of the short-gram GIN index, not
    # one per word); the long words go to the pg_trgm index, which takes them all at once.
    short = [term for term in terms if len(term) < 3] if vendor == "postgresql" else []
    if short:
        queryset = queryset.filter(
            RawSQL(
                'gongshi_short_grams("projects_project"."search_text") @> %s::text[]',
                [short],
                output_field=BooleanField(),
            )
        )
    for term in terms:
        if term in short:
            continue
        if short:
            # Beside a short word, a long one is checked on the rows the short-gram index
            # yields, not through pg_trgm: a BitmapAnd with the pg_trgm index (lossy) makes
            # PostgreSQL recheck *both* conditions on every row, and recomputing
            # gongshi_short_grams costs ~5 ms a row (`园 nangang`: 2.3 s for 458 rows).
            queryset = queryset.filter(
                RawSQL(
                    'strpos("projects_project"."search_text", %s) > 0',
                    [term],
                    output_field=BooleanField(),
                )
            )
        else:
            queryset = queryset.filter(search_text__contains=term)
    return queryset


def name_tier(terms: list[str], vendor: str) -> Q | RawSQL:
    """True when the squeezed name (the first part of the search text) holds every word."""
    if vendor == "postgresql":
        part = 'split_part("projects_project"."search_text", \' | \', 1)'
        sql = " AND ".join(f"strpos({part}, %s) > 0" for _ in terms)
    else:
        part = _NAME.format(r='"projects_project"', sep=SEPARATOR)
        sql = " AND ".join(f"instr({part}, %s) > 0" for _ in terms)
    return RawSQL(f"({sql})", list(terms), output_field=BooleanField())
