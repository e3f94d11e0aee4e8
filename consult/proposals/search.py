"""Full-text search of proposals through the database's own index: SQLite FTS5, or PostgreSQL tsvector with GIN.

Searching a title, summary and keywords with LIKE '%word%' reads every row; at 50,000 proposals that is the slowest
part of the public list. Both engines keep an index of the words instead, and a query word matches the words that
start with it ("cyber" finds "cybersecurity"), accents and case aside. The index lives beside the `proposals`
table, outside the models' metadata: the DDL below is attached to that table's creation (tests, benchmarks) and
the migration 0002_perf runs the same statements. Neither index finds a Chinese word inside a run of characters
or an Arabic word behind its article: those words alone are searched with LIKE (INSIDE_WORDS).
"""
import re

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from consult.proposals.models import Proposal

# Names the schema comparison of the migrations test leaves aside (they are not in the models' metadata).
SEARCH_TABLE = "proposal_search"
SEARCH_INDEX = "ix_proposals_search"
SEARCH_COLUMN = "search_document"
MAX_TERMS = 8
TERM = re.compile(r"\w+")
# Words of scripts the indexes cannot split into the reader's words: Chinese and Japanese are written without
# spaces (a run of characters is one indexed "word", so 农业 would only find runs that start with it), and Arabic
# joins its article and prepositions to the word (للشباب, الشباب). Such a word is searched inside the text.
INSIDE_WORDS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# Arabic clitics written onto a word: "and the", "with the", "like the", "so the", "for the", "the".
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")

# The document: the searched columns joined, as PostgreSQL's expression index and its queries both spell it.
POSTGRES_DOCUMENT = ("to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || "
                     "coalesce(keywords, ''))")

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS proposal_search USING fts5(title, summary, keywords, content='proposals', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS proposals_search_insert AFTER INSERT ON proposals BEGIN "
    "INSERT INTO proposal_search(rowid, title, summary, keywords) VALUES (new.id, new.title, new.summary, new.keywords); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS proposals_search_delete AFTER DELETE ON proposals BEGIN "
    "INSERT INTO proposal_search(proposal_search, rowid, title, summary, keywords) "
    "VALUES ('delete', old.id, old.title, old.summary, old.keywords); END",
    "CREATE TRIGGER IF NOT EXISTS proposals_search_update AFTER UPDATE OF title, summary, keywords ON proposals BEGIN "
    "INSERT INTO proposal_search(proposal_search, rowid, title, summary, keywords) "
    "VALUES ('delete', old.id, old.title, old.summary, old.keywords); "
    "INSERT INTO proposal_search(rowid, title, summary, keywords) VALUES (new.id, new.title, new.summary, new.keywords); "
    "END",
    "INSERT INTO proposal_search(proposal_search) VALUES ('rebuild')",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS proposals_search_update", "DROP TRIGGER IF EXISTS proposals_search_delete",
               "DROP TRIGGER IF EXISTS proposals_search_insert", "DROP TABLE IF EXISTS proposal_search")
# The document is stored, not only indexed: a search's matches are checked against it again row by row, and
# computing it anew for each of 11,000 matching rows was half of a filtered list's time at 50,000 proposals.
POSTGRES_DDL = (
    f"ALTER TABLE proposals ADD COLUMN IF NOT EXISTS {SEARCH_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({POSTGRES_DOCUMENT}) STORED",
    f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON proposals USING gin ({SEARCH_COLUMN})",
)
POSTGRES_DROP = (f"DROP INDEX IF EXISTS {SEARCH_INDEX}", f"ALTER TABLE proposals DROP COLUMN IF EXISTS {SEARCH_COLUMN}")


def search_terms(text: str) -> list[str]:
    """The words of a search as both indexes split them (letters and digits), at most MAX_TERMS."""
    return TERM.findall(text.lower())[:MAX_TERMS]


def inside_word(term: str) -> str:
    """A word of a script without word breaks as it is searched inside the text (an Arabic article taken off)."""
    for prefix in ARABIC_PREFIXES:
        if term.startswith(prefix) and len(term) - len(prefix) >= 3:
            return term[len(prefix):]
    return term


def matches_search(text: str, dialect_name: str) -> ColumnElement[bool]:
    """A condition on Proposal: every word of `text` starts a word of the title, the summary or the keywords
    (a Chinese, Japanese, Korean or Arabic word appears anywhere in them)."""
    terms = search_terms(text)
    inside = [inside_word(term) for term in terms if INSIDE_WORDS.search(term)]
    terms = [term for term in terms if not INSIDE_WORDS.search(term)]
    conditions = [_contains(word) for word in inside]
    if terms:
        conditions.append(_indexed_match(terms, dialect_name))
    return sa.and_(*conditions) if conditions else sa.true()


def _contains(word: str) -> ColumnElement[bool]:
    """word within the title, the summary or the keywords (read row by row: only for words the index cannot find)."""
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return sa.or_(*(column.ilike(pattern, escape="\\") for column in (Proposal.title, Proposal.summary, Proposal.keywords)))


def _indexed_match(terms: list[str], dialect_name: str) -> ColumnElement[bool]:
    if dialect_name == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        return sa.text(f"proposals.{SEARCH_COLUMN} @@ to_tsquery('simple', :search_query)").bindparams(search_query=query)
    # FTS5: each term as a quoted prefix ("term"*), so no word of the user's is read as query syntax.
    query = " ".join(f'"{term}"*' for term in terms)
    matching = sa.text("SELECT rowid FROM proposal_search WHERE proposal_search MATCH :search_query").bindparams(
        search_query=query).columns(sa.column("rowid", sa.Integer))
    return Proposal.id.in_(matching.scalar_subquery())


def create_search_index(connection: sa.Connection) -> None:
    """Create the full-text index of proposals (and, on SQLite, the triggers that keep it current)."""
    for statement in _statements(connection.dialect.name, SQLITE_DDL, POSTGRES_DDL):
        connection.exec_driver_sql(statement)


def drop_search_index(connection: sa.Connection) -> None:
    """Drop the full-text index of proposals."""
    for statement in _statements(connection.dialect.name, SQLITE_DROP, POSTGRES_DROP):
        connection.exec_driver_sql(statement)


def _statements(dialect_name: str, sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> tuple[str, ...]:
    return {"sqlite": sqlite, "postgresql": postgres}.get(dialect_name, ())


def is_search_object(name: str | None) -> bool:
    """Whether a table, column or index name belongs to the full-text index (for the schema comparison)."""
    return bool(name) and (name in (SEARCH_INDEX, SEARCH_TABLE, SEARCH_COLUMN) or name.startswith(f"{SEARCH_TABLE}_"))


@sa.event.listens_for(Proposal.__table__, "after_create")
def _after_proposals_created(table, connection, **kwargs) -> None:
    create_search_index(connection)


@sa.event.listens_for(Proposal.__table__, "before_drop")
def _before_proposals_dropped(table, connection, **kwargs) -> None:
    drop_search_index(connection)
