"""Full-text search of proposals: words as prefixes, accents and case aside, through the database's own index."""
import sqlalchemy as sa

from consult.extensions import db
from consult.proposals.models import Proposal
from consult.proposals.queries import ProposalFilters, public_proposals_select
from consult.proposals.search import matches_search, search_terms
from tests.factories import make_consultation, make_proposal


def _titles(consultation, q):
    rows = db.session.execute(public_proposals_select(consultation.id, ProposalFilters(q=q))).scalars()
    return [proposal.title for proposal in rows]


def _world():
    consultation = make_consultation()
    make_proposal(consultation, title="Cybersecurity for small States", summary="Trust and CERT capacity.",
                  keywords="security, trust")
    make_proposal(consultation, title="Éducation numérique en Afrique", summary="Écoles rurales connectées.",
                  keywords="education")
    make_proposal(consultation, title="Community networks", summary="Broadband for rural schools.", keywords="")
    db.session.commit()
    return consultation


def test_search_matches_word_prefixes_in_title_summary_and_keywords(app):
    consultation = _world()

    assert _titles(consultation, "cyber") == ["Cybersecurity for small States"]
    assert _titles(consultation, "cert") == ["Cybersecurity for small States"]
    assert _titles(consultation, "rural") == ["Éducation numérique en Afrique", "Community networks"]
    assert _titles(consultation, "rural broad") == ["Community networks"]


def test_search_ignores_case_in_every_script(app):
    consultation = _world()

    assert _titles(consultation, "ÉDUCATION NUMÉRIQUE") == ["Éducation numérique en Afrique"]
    assert _titles(consultation, "écoles") == ["Éducation numérique en Afrique"]


def test_search_reads_query_syntax_as_plain_words(app):
    consultation = _world()

    assert _titles(consultation, 'trust" OR "rural') == []
    assert _titles(consultation, "cyber* -trust (NEAR)") == []
    assert _titles(consultation, "networks & | ! :*") == ["Community networks"]
    assert _titles(consultation, "%%% ***") == [proposal for proposal in _titles(consultation, "")]
    assert search_terms("a b c d e f g h i j") == ["a", "b", "c", "d", "e", "f", "g", "h"]


def test_search_index_follows_edits_and_deletions(app):
    consultation = _world()
    proposal = db.session.execute(sa.select(Proposal).where(Proposal.title == "Community networks")).scalar_one()

    proposal.title = "Spectrum for community networks"
    db.session.commit()
    renamed = _titles(consultation, "spectrum")
    db.session.delete(proposal)
    db.session.commit()

    assert renamed == ["Spectrum for community networks"]
    assert _titles(consultation, "spectrum") == []


def test_search_uses_the_full_text_index(app):
    _world()
    query = sa.select(Proposal.id).where(matches_search("cyber", db.engine.dialect.name))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}"))
            expected = "ix_proposals_search"
        else:
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))
            expected = "VIRTUAL TABLE INDEX"

    assert expected in plan


def _scripts():
    consultation = make_consultation()
    make_proposal(consultation, title="人工智能赋能智慧农业", summary="以数据支持农村发展。", keywords="")
    make_proposal(consultation, title="农村数字技能培训与智慧农业", summary="面向青年的课程。", keywords="AI农业")
    make_proposal(consultation, title="تمكين الشباب رقمياً", summary="برامج للشباب في المدن.", keywords="")
    make_proposal(consultation, title="Youth and skills", summary="Digital skills 50_50 for youth.", keywords="")
    db.session.commit()
    return consultation


def test_chinese_words_are_found_inside_runs_of_characters(app):
    consultation = _scripts()

    assert _titles(consultation, "农业") == ["人工智能赋能智慧农业", "农村数字技能培训与智慧农业"]
    assert _titles(consultation, "技能") == ["农村数字技能培训与智慧农业"]
    assert _titles(consultation, "数字 青年") == ["农村数字技能培训与智慧农业"]
    assert _titles(consultation, "ai农业") == ["农村数字技能培训与智慧农业"]
    assert _titles(consultation, "农业 skills") == []


def test_arabic_words_are_found_with_their_article_and_prepositions(app):
    consultation = _scripts()

    assert _titles(consultation, "شباب") == ["تمكين الشباب رقمياً"]
    assert _titles(consultation, "الشباب") == ["تمكين الشباب رقمياً"]
    assert _titles(consultation, "للشباب المدن") == ["تمكين الشباب رقمياً"]
    assert _titles(consultation, "youth 50_50") == ["Youth and skills"]
    # An underscore is a character searched for, not LIKE's "any character" (慧农业 has no underscore).
    assert _titles(consultation, "慧_业") == []
