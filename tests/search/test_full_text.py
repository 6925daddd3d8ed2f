"""The outcomes' search on the database's own full-text index (SQLite FTS5, PostgreSQL
tsvector), on small files written here: word beginnings, the visitor's language first,
Chinese, hostile queries, and no stale words after an import changes or deletes an outcome."""

from __future__ import annotations

from html import unescape

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup
from sqlalchemy import delete, func, select, text

from portal.iati.importer import import_sources
from portal.iati.models import Outcome
from portal.search.index import SearchText
from portal.search.queries import fts5_expression, highlighted, is_unspaced, query_words

ACTIVITY = """ <iati-activity default-currency="USD" xml:lang="{lang}">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="XM-TEST-SEARCH" type="40"><narrative>Search tests</narrative></reporting-org>
  <title>
   <narrative>{title}</narrative>
   <narrative xml:lang="zh">约旦妇女经济赋权与性别平等</narrative>
  </title>
  <description type="1"><narrative>{description}</narrative></description>
  <activity-date iso-date="2022-01-01" type="1"/>
  <recipient-country code="JO" percentage="100"/>
  <result type="2">
   <title><narrative>A result</narrative></title>
   <indicator measure="1">
    <title><narrative>An indicator</narrative></title>
    <period>
     <period-start iso-date="2023-01-01"/>
     <period-end iso-date="2023-12-31"/>
     <target value="16"/>
     <actual value="15">
      <comment><narrative>{progress}</narrative></comment>
     </actual>
    </period>
   </indicator>
  </result>
 </iati-activity>
"""
ENGLISH = "XM-TEST-SEARCH-A1"  # before the French one by identifier
FRENCH = "XM-TEST-SEARCH-B2"


def _write(path, french_word: str = "zanzibarique") -> str:
    english = ACTIVITY.format(
        lang="en",
        identifier=ENGLISH,
        title="Women's economic empowerment",
        description="Decent work, zanzibarique in English too.",
        progress="Participation rose during the year.",
    )
    french = ACTIVITY.format(
        lang="fr",
        identifier=FRENCH,
        title="Autonomisation économique des femmes",
        description=f"Égalité des sexes et {french_word} dans la fonction publique.",
        progress="La participation des femmes a progressé pendant l'année.",
    )
    return _write_activities(path, english, french)


def _write_activities(path, *activities: str) -> str:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
        + "".join(activities)
        + "</iati-activities>\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def two_outcomes(db_session, tmp_path):
    import_sources(db_session, [_write(tmp_path / "search.xml")])
    db_session.flush()
    return db_session


def _identifiers(client, lang: str, query: str) -> list[str]:
    response = client.get(f"/{lang}/search/", query_string={"q": query})
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    return sorted(
        (identifier for identifier in (ENGLISH, FRENCH) if identifier in page), key=page.index
    )


def _on_sqlite(session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def test_the_match_expression_holds_only_our_quoted_words():
    words = query_words('"x" OR y* NEAR(a b) body:c ^d -e')
    assert words == ["x", "or", "y", "near", "a", "b", "body", "c"]
    assert fts5_expression(words[:3]) == '"x"* AND "or"* AND "y"*'
    assert query_words("jor_d_1.1 _") == ["jor", "d", "1"]


def test_a_french_word_by_its_beginning_finds_its_outcome(client, two_outcomes):
    assert _identifiers(client, "fr", "autonomis") == [FRENCH]
    assert _identifiers(client, "fr", "egalite SEXES") == [FRENCH]
    assert _identifiers(client, "fr", "progress") == [FRENCH]  # a progress narrative
    assert _identifiers(client, "fr", "onomisation") == []  # words, not any substring


def test_a_french_word_by_its_stem_on_postgresql(client, two_outcomes):
    if _on_sqlite(two_outcomes):
        pytest.skip("SQLite's unicode61 tokenizer does not stem")
    assert _identifiers(client, "fr", "autonomisations") == [FRENCH]
    # Found by the stem alone ("autonomis"): the stem is marked in the title, and the snippet
    # is the text that holds it ("progressions": "progress", in the progress narrative).
    page = client.get("/fr/search/", query_string={"q": "autonomisations"}).get_data(as_text=True)
    assert "<mark>Autonomis</mark>ation" in page
    page = client.get("/fr/search/", query_string={"q": "progressions"}).get_data(as_text=True)
    snippet = BeautifulSoup(page, "html.parser").select_one(".search-results__snippet")
    assert snippet is not None and "La participation des femmes a progressé" in snippet.text
    assert [mark.text for mark in snippet("mark")] == ["progress"]


def test_the_search_is_planned_for_its_words_on_postgresql(client, two_outcomes):
    """psycopg prepares a statement run often (five times) and PostgreSQL then plans it once
    for any words: the search's statements are never prepared (nine times slower at ×10)."""
    if _on_sqlite(two_outcomes):
        pytest.skip("psycopg's prepared statements are PostgreSQL's")
    for _ in range(8):
        assert _identifiers(client, "fr", "zanzibariq") == [FRENCH, ENGLISH]
    prepared = two_outcomes.execute(text("SELECT statement FROM pg_prepared_statements"))
    statements = prepared.scalars().all()
    # The page's other statements, run as often, were prepared: this check sees them.
    assert statements
    assert [statement for statement in statements if "@@" in statement] == []  # a match


def _period(year: int, comment: str) -> str:
    return f"""    <period>
     <period-start iso-date="{year}-01-01"/>
     <period-end iso-date="{year}-12-31"/>
     <actual value="1"><comment><narrative>{comment}</narrative></comment></actual>
    </period>
"""


def test_the_snippet_is_the_latest_progress_holding_the_words(client, db_session, tmp_path):
    """Progress narratives are read (with the page on PostgreSQL, apart on SQLite) the latest
    year first: the snippet is the latest that holds the words."""
    periods = "".join(_period(year, f"Quokkas counted in {year}.") for year in (2019, 2021, 2020))
    activity = ACTIVITY.format(
        lang="en",
        identifier=ENGLISH,
        title="Wildlife",
        description="Nothing about marsupials.",
        progress="Not this one.",
    ).replace("   </indicator>", periods + "   </indicator>")
    import_sources(db_session, [_write_activities(tmp_path / "progress.xml", activity)])
    db_session.flush()
    page = client.get("/en/search/", query_string={"q": "quokkas"}).get_data(as_text=True)
    snippets = BeautifulSoup(page, "html.parser").select(".search-results__snippet")
    # 2021's: the latest holding the word (2023's, "Not this one.", does not)
    assert [snippet.text for snippet in snippets] == ["Quokkas counted in 2021."]


def test_a_word_is_marked_whole_before_its_stem():
    assert highlighted("Development, developing", ["development", "develop"]) == Markup(
        "<mark>Development</mark>, <mark>develop</mark>ing"
    )


def test_matches_in_the_visitors_language_come_first(client, two_outcomes):
    assert _identifiers(client, "fr", "zanzibariq") == [FRENCH, ENGLISH]
    assert _identifiers(client, "en", "zanzibariq") == [ENGLISH, FRENCH]


def test_an_identifier_finds_its_outcome(client, two_outcomes):
    assert _identifiers(client, "en", FRENCH) == [FRENCH]
    assert _identifiers(client, "en", FRENCH.lower().replace("-", " ")) == [FRENCH]


def test_a_chinese_word_inside_a_longer_run_finds_its_outcomes(client, two_outcomes):
    assert is_unspaced("性别平等") and not is_unspaced("egalite")
    assert set(_identifiers(client, "zh", "性别平等")) == {ENGLISH, FRENCH}
    # Both kinds of words in one row: the Chinese title with the identifier.
    assert _identifiers(client, "zh", "性别平等 XM-TEST-SEARCH-B") == [FRENCH]
    assert _identifiers(client, "zh", "气候变化") == []
    page = client.get("/zh/search/", query_string={"q": "性别平等"}).get_data(as_text=True)
    assert "<mark>性别平等</mark>" in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "\\",
        "*",
        "-",
        "_",
        "^",
        ":*",
        "( )",
        "<->",
        "& | !",
        "NEAR",
        "NEAR(a b, 2)",
        "zanzibar*",
        '"zanzibarique" OR -x*',
        "body:zanzibarique",
        "^zanzibarique",
        "zanzibarique:*",
        "a & !b | c <-> d",
        "AND OR NOT",
        "'; DROP TABLE search_text; --",
        "x" * 201,
        "a " * 100,
        "x" * 10_000,
        "性别平等%_\\",
    ],
)
def test_hostile_queries_answer_a_message(client, two_outcomes, query):
    response = client.get("/en/search/", query_string={"q": query})
    page = response.get_data(as_text=True)
    if response.status_code == 400:
        assert 'class="search-results__problem"' in page
    else:
        assert response.status_code == 200
        assert "Outcomes (" in page
    assert two_outcomes.scalar(select(func.count()).select_from(SearchText)) > 0


def test_a_nul_in_the_query_is_refused(client, two_outcomes):
    response = client.get("/en/search/", query_string={"q": "zanzibarique\x00x"})
    assert response.status_code == 400


def _index_holds_exactly_search_text(session) -> None:
    """SQLite: FTS5 checks its index against search_text, and holds one document per row."""
    if not _on_sqlite(session):
        return
    connection = session.connection()
    connection.execute(
        text("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
    )
    documents = connection.execute(text("SELECT count(*) FROM search_fts_docsize")).scalar_one()
    assert documents == session.scalar(select(func.count()).select_from(SearchText))


def test_an_import_leaves_no_stale_words(client, two_outcomes, tmp_path):
    assert _identifiers(client, "fr", "zanzibarique") == [FRENCH, ENGLISH]
    _index_holds_exactly_search_text(two_outcomes)

    report = import_sources(two_outcomes, [_write(tmp_path / "changed.xml", "tombouctouesque")])
    two_outcomes.flush()
    assert (report.outcomes_updated, report.outcomes_unchanged) == (1, 1)

    assert _identifiers(client, "fr", "zanzibarique") == [ENGLISH]
    assert _identifiers(client, "fr", "tombouctou") == [FRENCH]
    _index_holds_exactly_search_text(two_outcomes)


def test_a_deleted_outcome_leaves_no_stale_words(client, two_outcomes):
    two_outcomes.execute(delete(Outcome).where(Outcome.iati_identifier == FRENCH))
    two_outcomes.flush()
    assert _identifiers(client, "fr", "zanzibarique") == [ENGLISH]
    _index_holds_exactly_search_text(two_outcomes)
