"""The reads behind the search page: places by name in the visitor's language, outcomes by
their indexed words (portal.search.index, the database's own full-text search), funding
partners by name.

The visitor's text is never handed to the database as query syntax: it is cut into words
here (letters and digits), each word folded, and the full-text query is built from those
words only: on SQLite an FTS5 MATCH expression of quoted prefixes ("word"* AND ...), on
PostgreSQL a tsquery of bound 'word':* terms. Words in scripts written without spaces
(Chinese, Japanese, Thai...) are not cut into words by either tokenizer, which keeps a whole
run of such characters as one token: those words are looked up as a plain substring of the
folded text instead (LIKE). A page of results costs the same few queries however many rows
match.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import (
    Integer,
    Select,
    Text,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSQUERY, aggregate_order_by
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FromClause

from portal.iati.models import Outcome, ParticipatingOrg, ProgressNarrative, Transaction
from portal.iati.narratives import LocalisedText, Narratives
from portal.ledger import rules
from portal.pagination import PAGE_SIZE, Page, check_page_number, page_count_of
from portal.search.index import (
    FTS_TABLE,
    SEARCH_FTS,
    SEARCH_TEXT_VECTOR,
    TEXT_SEARCH_CONFIGURATIONS,
    UNSTEMMED,
    WORD,
    SearchText,
    fold,
    text_search_configuration,
)

LONGEST_QUERY = 200
MOST_WORDS = 8
SNIPPET_CHARACTERS = 240
# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, the CJK radicals,
# kana and Bopomofo, the CJK ideographs (and their extensions and compatibility forms).
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)


def query_words(text: str) -> list[str]:
    """The visitor's words (runs of letters and digits), folded, at most MOST_WORDS, each
    once: quotes, '*', '-', 'NEAR' and other operators are separators or ordinary words."""
    words: list[str] = []
    for word in WORD.findall(fold(text.replace("\x00", " "))):
        if word not in words:
            words.append(word)
    return words[:MOST_WORDS]


def matches(
    text: str, words: Iterable[str], stems: dict[str, tuple[str, ...]] | None = None
) -> bool:
    """Whether the text holds every word, or for a word with `stems`, one of them."""
    folded = fold(text)
    return all(
        word in folded or any(stem in folded for stem in (stems or {}).get(word, ()))
        for word in words
    )


@functools.lru_cache(maxsize=8192)
def _folded_character(char: str) -> str:
    return fold(char)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _folded_with_origin(text: str) -> tuple[str, list[int] | None]:
    """The text folded, and where each folded letter came from in the text (None when each
    letter folds to one: ASCII), so that a match in the folded text marks the original. Each
    character is folded alone; the runs of ASCII between the others are lowered whole (a
    snippet of English with "…" took 40 µs letter by letter, 15 µs so)."""
    if text.isascii():
        return text.lower(), None
    folded_parts, origin, position = [], [], 0
    for other in _NOT_ASCII.finditer(text):
        index = other.start()
        folded_parts.append(text[position:index].lower())
        origin.extend(range(position, index))
        folded_char = _folded_character(other.group())
        folded_parts.append(folded_char)
        origin.extend([index] * len(folded_char))
        position = index + 1
    folded_parts.append(text[position:].lower())
    origin.extend(range(position, len(text)))
    return "".join(folded_parts), origin


def _longest_first(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], -span[1]


def highlighted(text: str, words: list[str], limit: int | None = None) -> Markup:
    """`text` escaped, the words found in it wrapped in <mark> (accents and case ignored);
    with `limit`, cut to about that many characters around the first match."""
    if limit is not None and len(text) > limit:
        folded = fold(text)
        first = min((folded.find(word) for word in words if word in folded), default=0)
        start = max(0, first - limit // 3)
        text = ("…" if start else "") + text[start : start + limit].strip() + "…"
    folded, origin = _folded_with_origin(text)
    spans = []
    for word in words:
        for found in re.finditer(re.escape(word), folded):
            if origin is None:  # one folded letter for each of the text's
                spans.append((found.start(), found.end()))
            else:
                spans.append((origin[found.start()], origin[found.end() - 1] + 1))
    spans.sort(key=_longest_first)  # a word before its stem where both start
    parts, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        parts += (escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>")
        position = end
    parts.append(escape(text[position:]))
    return Markup("".join(parts))  # each part escaped, or our own tag


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def is_unspaced(word: str) -> bool:
    """Whether the word holds letters of a script written without spaces (looked up by
    substring: neither database's tokenizer cuts such text into words)."""
    return _UNSPACED.search(word) is not None


@dataclass(frozen=True)
class _Matching:
    """The search_text rows holding every word: from where, on which condition, and how
    relevant each row is (the larger the better)."""

    source: FromClause
    condition: ColumnElement[bool]
    relevance: ColumnElement


def fts5_expression(words: list[str]) -> str:
    """SQLite FTS5's MATCH expression for our words: each a quoted string (any '"' doubled,
    though our words hold none) matched as a prefix, all of them required."""
    return " AND ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _sqlite_matching() -> _Matching:
    """The MATCH expression (fts5_expression) is the bound value `match`."""
    source = SearchText.__table__.join(SEARCH_FTS, SEARCH_FTS.c.rowid == SearchText.id)
    condition = literal_column(FTS_TABLE).op("MATCH")(bindparam("match", type_=Text))
    # FTS5's rank is bm25(): numerically lower for better matches.
    return _Matching(source, condition, -func.min(SEARCH_FTS.c.rank))


def _regconfig(configuration: str) -> ColumnElement:
    """A text search configuration written in the statement ('english'::regconfig, one of
    ours: portal.search.index.TEXT_SEARCH_CONFIGURATIONS), read as a constant when PostgreSQL
    parses it. Cast from a text value, it is looked up for each row (the cast is only
    stable), and so was the query: parsed again for each matching row's rank, and never a
    constant the planner could estimate (the page of "development" at ×10, read through the
    index either way: 11.8 ms, against 5.7 with the constant)."""
    if configuration != UNSTEMMED and configuration not in TEXT_SEARCH_CONFIGURATIONS.values():
        raise ValueError(f"not a text search configuration of ours: {configuration!r}")
    return literal_column(f"'{configuration}'::regconfig", REGCONFIG)


def _tsquery(index: int, configuration: str) -> ColumnElement:
    """PostgreSQL's query for our word number `index` (bound as `term{index}`, see
    _bound_words) as the beginning of a word, unstemmed (any language) or stemmed in the
    visitor's language; the word (letters and digits only) holds nothing tsquery would read
    as syntax."""
    term = bindparam(f"term{index}", type_=Text)
    unstemmed = func.to_tsquery(_regconfig(UNSTEMMED), term)
    if configuration == UNSTEMMED:
        return unstemmed
    stemmed = func.to_tsquery(_regconfig(configuration), term)
    return unstemmed.op("||", return_type=TSQUERY)(stemmed)


def _postgresql_matching(indexed: int, configuration: str) -> _Matching:
    query = _tsquery(0, configuration)
    for index in range(1, indexed):
        query = query.op("&&", return_type=TSQUERY)(_tsquery(index, configuration))
    condition = SEARCH_TEXT_VECTOR.op("@@")(query)
    return _Matching(
        SearchText.__table__, condition, func.max(func.ts_rank(SEARCH_TEXT_VECTOR, query))
    )


def _matching(dialect: str, indexed: int, unspaced: int, configuration: str) -> _Matching:
    """For `indexed` words looked up in the full-text index and `unspaced` ones by substring
    (bound as `like{n}`)."""
    likes = [
        SearchText.body.like(bindparam(f"like{index}", type_=Text), escape="\\")
        for index in range(unspaced)
    ]
    if not indexed:
        return _Matching(SearchText.__table__, and_(*likes), literal(0))
    if dialect == "postgresql":
        matching = _postgresql_matching(indexed, configuration)
    else:
        matching = _sqlite_matching()
    return _Matching(matching.source, and_(matching.condition, *likes), matching.relevance)


def _indexed(words: list[str]) -> list[str]:
    """The words the full-text index looks up (word n is bound as `term{n}` on PostgreSQL)."""
    return [word for word in words if not is_unspaced(word)]


def _bound_words(dialect: str, words: list[str]) -> tuple[int, int, dict[str, str]]:
    """How many words the index looks up, how many are matched by substring, and the values
    the statements of _statements bind for them."""
    indexed = _indexed(words)
    unspaced = [word for word in words if is_unspaced(word)]
    values = {f"like{index}": _like(word) for index, word in enumerate(unspaced)}
    if dialect == "postgresql":
        values.update({f"term{index}": f"'{word}':*" for index, word in enumerate(indexed)})
    elif indexed:
        values["match"] = fts5_expression(indexed)
    return len(indexed), len(unspaced), values


@dataclass(frozen=True)
class _Statements:
    count: Select
    page: Select
    progress: Select


def _stem_columns(dialect: str, indexed: int, configuration: str) -> list[ColumnElement]:
    """PostgreSQL, in a language it stems: what each word became (`stems{n}`, the query as
    text: "'develop':*"), for the snippets and marks of outcomes found by a stem alone."""
    if dialect != "postgresql" or configuration == UNSTEMMED:
        return []
    return [
        cast(
            func.to_tsquery(_regconfig(configuration), bindparam(f"term{index}", type_=Text)),
            Text,
        ).label(f"stems{index}")
        for index in range(indexed)
    ]


def _progress_columns(dialect: str) -> list[ColumnElement]:
    """PostgreSQL: each outcome's progress narratives, the latest year first, as a JSON array
    (`progress`) read with the page (the statement of their own cost a search a round trip:
    0.3 ms at ×10). SQLite, whose json_group_array takes its rows in no stated order, reads
    them with _Statements.progress."""
    if dialect != "postgresql":
        return []
    texts = aggregate_order_by(ProgressNarrative.text, ProgressNarrative.year.desc())
    return [
        select(func.json_agg(texts))
        .where(ProgressNarrative.outcome_id == Outcome.id)
        .scalar_subquery()
        .label("progress")
    ]


# A lexeme in a tsquery written as text: 'develop' (a quote inside doubled).
_LEXEME = re.compile(r"'((?:[^']|'')+)'")


def _stems(row, words: list[str]) -> dict[str, tuple[str, ...]]:
    """Each indexed word's stems other than the word itself, as _stem_columns read them."""
    stems = {}
    for index, word in enumerate(_indexed(words)):
        written = getattr(row, f"stems{index}", None) or ""
        lexemes = {fold(lexeme.replace("''", "'")) for lexeme in _LEXEME.findall(written)}
        stems[word] = tuple(sorted(lexeme for lexeme in lexemes if lexeme and lexeme != word))
    return stems


@functools.lru_cache(maxsize=64)
def _statements(dialect: str, indexed: int, unspaced: int, configuration: str) -> _Statements:
    """The search's three statements for so many words of each kind, built once: the words,
    the visitor's language (`language`), the page (`size`, `offset`) and the outcomes whose
    progress is read (`outcome_ids`) are bound when they run. Building them anew cost each
    search more than a millisecond."""
    matching = _matching(dialect, indexed, unspaced, configuration)
    in_language = func.max(case((SearchText.lang == bindparam("language", type_=Text), 1), else_=0))
    count = (
        select(func.count(distinct(SearchText.outcome_id)))
        .select_from(matching.source)
        .where(matching.condition)
    )
    # The page's outcomes are picked among the matching rows alone (ties by outcome, the order
    # of the import), then only those few outcomes are read: ordering every match by its
    # outcome's identifier read each matching outcome's row (3 of the search's 5 ms at ×10).
    in_language_label = in_language.label("in_language")
    relevance_label = matching.relevance.label("relevance")
    found = (
        select(SearchText.outcome_id, in_language_label, relevance_label)
        .select_from(matching.source)
        .where(matching.condition)
        .group_by(SearchText.outcome_id)
        .cte("found")
    )
    # The page's rows also carry how many outcomes were found, counted over the same groups
    # (the statement names them twice: both databases compute them once): one search of the
    # index instead of two (on SQLite at ×10, 2.2 ms against 1.9 for the page and 0.8 for
    # the count; a window over the groups cost more: 2.4).
    total = select(func.count()).select_from(found).scalar_subquery()
    picked = (
        select(found, total.label("total"))
        .order_by(found.c.in_language.desc(), found.c.relevance.desc(), found.c.outcome_id)
        .limit(bindparam("size", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    page = (
        select(
            Outcome.id,
            Outcome.iati_identifier,
            Outcome.plan_period,
            Outcome.default_lang,
            Outcome.title,
            Outcome.description,
            picked.c.in_language,
            picked.c.total,
            *_stem_columns(dialect, indexed, configuration),
            *_progress_columns(dialect),
        )
        .join(picked, picked.c.outcome_id == Outcome.id)
        .order_by(picked.c.in_language.desc(), picked.c.relevance.desc(), Outcome.id)
    )
    progress = (
        select(ProgressNarrative.outcome_id, ProgressNarrative.text)
        .where(ProgressNarrative.outcome_id.in_(bindparam("outcome_ids", expanding=True)))
        .order_by(ProgressNarrative.outcome_id, ProgressNarrative.year.desc())
    )
    return _Statements(count, page, progress)


@contextlib.contextmanager
def _planned_for_these_words(session: Session, dialect: str) -> Iterator[None]:
    """On PostgreSQL, the search's statements planned for the words of each search: psycopg
    prepares a statement run often (after five runs) and PostgreSQL then plans it once for any
    words, where it can fold neither the query (parsed again for each matching row's rank) nor
    guess how many rows match: "development" at ×10 took 9 ms instead of 4. psycopg is told
    not to prepare them (on the client: `SET LOCAL plan_cache_mode` cost a round trip)."""
    if dialect != "postgresql":
        yield
        return
    driver = session.connection().connection.driver_connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


@dataclass(frozen=True)
class OutcomeHit:
    iati_identifier: str
    plan_period: str
    title: LocalisedText | None
    snippet: LocalisedText | None
    matched_lang: str
    marks: tuple[str, ...] = ()  # what to mark in its texts: the words, and their stems


def outcome_hits(
    session: Session, words: list[str], language: str, page_number: int, page_url: Callable
) -> Page[OutcomeHit]:
    """A page of the outcomes whose text in one language (any of theirs) holds every word, as
    a word or a word's beginning; those matched in the visitor's language first, then the
    most relevant, then in the order they were imported. One query on PostgreSQL, two on
    SQLite (the progress narratives); one more for a page past the last."""
    dialect = session.get_bind().dialect.name
    indexed, unspaced, values = _bound_words(dialect, words)
    configuration = text_search_configuration(language) if dialect == "postgresql" else ""
    statements = _statements(dialect, indexed, unspaced, configuration)
    values["language"] = language
    page_values = {**values, "size": PAGE_SIZE, "offset": (page_number - 1) * PAGE_SIZE}
    with _planned_for_these_words(session, dialect):
        rows = session.execute(statements.page, page_values).all()
        if rows:
            total = rows[0].total
        elif page_number == 1:
            total = 0  # none found
        else:  # past the last page: how many there are, for the 404 page's links
            total = session.execute(statements.count, values).scalar_one()
    page_count = page_count_of(total)
    check_page_number(page_number, page_count, page_url)
    progress: dict[int, list[Narratives]] = {}
    if dialect == "postgresql":
        for row in rows:
            progress[row.id] = [Narratives(texts or {}) for texts in row.progress or ()]
    elif rows:
        for outcome_id, narratives in session.execute(
            statements.progress, {"outcome_ids": [row.id for row in rows]}
        ):
            progress.setdefault(outcome_id, []).append(Narratives(narratives or {}))
    stems = _stems(rows[0], words) if rows else {}
    marks = tuple(words) + tuple(stem for found in stems.values() for stem in found)
    hits = []
    for row in rows:
        title = Narratives(row.title or {}).pick(language, row.default_lang)
        candidates = [Narratives(row.description or {}), *progress.get(row.id, [])]
        hits.append(
            OutcomeHit(
                iati_identifier=row.iati_identifier,
                plan_period=row.plan_period,
                title=title,
                snippet=_matching_text(candidates, words, language, stems),
                matched_lang=language if row.in_language else "",
                marks=marks,
            )
        )
    return Page(tuple(hits), page_number, page_count, total)


def _matching_text(
    candidates: list[Narratives],
    words: list[str],
    language: str,
    stems: dict[str, tuple[str, ...]] | None = None,
) -> LocalisedText | None:
    """The first text holding every word (or one of its stems), in the visitor's language
    when one does."""
    fallback = None
    for narratives in candidates:
        for lang, narrative in narratives.items():
            if narrative and matches(narrative, words, stems):
                if lang == language:
                    return LocalisedText(narrative, lang)
                fallback = fallback or LocalisedText(narrative, lang)
    return fallback


@dataclass(frozen=True)
class PartnerHit:
    ref: str | None
    name: LocalisedText
    searchable: str = ""  # every name and the reference, folded


def funding_partners(session: Session, language: str) -> list[PartnerHit]:
    """Every funding partner (providers of incoming funds and commitments, funding
    organisations), named in the visitor's language where published; two queries over the
    distinct names. Their names are matched in Python (partner_matches)."""
    # Distinct names as text (PostgreSQL cannot compare json values), read back as JSON.
    providers = select(Transaction.provider_ref, cast(Transaction.provider_name, Text)).where(
        Transaction.type_code.in_((rules.INCOMING_FUNDS, rules.INCOMING_COMMITMENT))
    )
    funders = select(ParticipatingOrg.ref, cast(ParticipatingOrg.name, Text)).where(
        ParticipatingOrg.role_code == rules.FUNDING_ROLE
    )
    seen: dict[tuple[str, str], PartnerHit] = {}
    for statement in (providers.distinct(), funders.distinct()):
        for ref, name in session.execute(statement):
            narratives = Narratives(json.loads(name) if name else {})
            picked = narratives.pick(language)
            if picked is None and not ref:
                continue
            shown = picked or LocalisedText(ref, "und")
            searchable = fold(" ".join([*narratives.values(), ref or ""]))
            key = ((ref or "").strip().casefold(), fold(shown.text))
            seen.setdefault(key, PartnerHit(ref, shown, searchable))
    return sorted(seen.values(), key=lambda hit: fold(hit.name.text))


def partner_matches(partners: Iterable[PartnerHit], words: list[str]) -> list[PartnerHit]:
    """The partners whose name (in any language) or reference holds every word."""
    return [hit for hit in partners if all(word in hit.searchable for word in words)]


def partner_hits(session: Session, words: list[str], language: str) -> list[PartnerHit]:
    return partner_matches(funding_partners(session, language), words)


def place_matches(names: Iterable[tuple[str, str, str]], words: list[str]) -> list[tuple[str, str]]:
    """(address, name) of the places whose name holds every word; `names` are (address, name,
    the name folded), folded once for every search (portal.search.views)."""
    return [
        (address, name) for address, name, folded in names if all(word in folded for word in words)
    ]
