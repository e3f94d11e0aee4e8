"""The agenda step of the demo, on its own and after factory-made clusters."""
from datetime import time

import sqlalchemy as sa

from consult.agenda.models import AgendaSession, AgendaVersion, ForumDay, Room, SessionComment
from consult.agenda.queries import current_conflicts, local_start
from consult.agenda.versions import diff_versions
from consult.consultations.models import PhaseKind
from consult.demo.agenda import DEMO_ROOMS, HIGH_LEVEL_SESSIONS, seed_agenda
from consult.demo.foundation import seed_foundation
from consult.extensions import db
from consult.proposals.models import ProposalKind
from consult.reference import Track
from tests.agenda.factories import make_cluster
from tests.factories import make_proposal


def _count(model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_seed_agenda_in_public_comment_publishes_two_versions_with_comments(app):
    demo = seed_foundation(PhaseKind.PUBLIC_COMMENT)

    seed_agenda(demo)

    versions = db.session.execute(sa.select(AgendaVersion).order_by(AgendaVersion.number)).scalars().all()
    changes = diff_versions(versions[0].snapshot, versions[1].snapshot)
    assert [v.number for v in versions] == [1, 2]
    assert (len(changes["moved"]), len(changes["retitled"]), changes["added"], changes["removed"]) == (1, 1, [], [])
    assert len(versions[1].snapshot) == _count(AgendaSession)
    assert current_conflicts(demo.consultation) == []
    assert _count(Room) == len(DEMO_ROOMS) and _count(ForumDay) == 5
    hidden = db.session.execute(sa.select(SessionComment).where(SessionComment.is_hidden)).scalars().all()
    assert _count(SessionComment) == 4
    assert [c.hidden_reason for c in hidden] == ["Advertising, not a comment on the session."]
    db.session.expire_all()
    high_level = db.session.execute(sa.select(AgendaSession).where(AgendaSession.track == Track.HIGH_LEVEL)).scalars().all()
    assert len(high_level) == len(HIGH_LEVEL_SESSIONS)
    assert all(session.room.has_interpretation for session in high_level)
    # The fixed blocks: the High-Level Track in its room, the Opening pinned at the first day's start, the Prizes in
    # their plenary slot.
    assert {session.room.name for session in high_level} == {"CICG Room 1"}
    first_day = db.session.execute(sa.select(ForumDay).order_by(ForumDay.day)).scalars().first()
    opening = next(session for session in high_level if session.is_opening)
    assert (opening.is_pinned, opening.day_id, local_start(demo.consultation, opening).time()) == (True, first_day.id, time(9))
    prizes = next(session for session in high_level if session.is_plenary)
    assert local_start(demo.consultation, prizes).time() == time(13)


def test_seed_agenda_uses_clusters_when_there_are_some(app):
    demo = seed_foundation(PhaseKind.AGENDA_DRAFTING)
    proposal = make_proposal(demo.consultation, demo.stakeholder, kind=ProposalKind.FORMAT, speakers=2)
    make_cluster(demo.consultation, [proposal], title="Youth and the digital economy")

    seed_agenda(demo)

    titles = db.session.execute(sa.select(AgendaSession.title).where(AgendaSession.cluster_id.is_not(None))).scalars().all()
    assert titles == ["Youth and the digital economy"]
    assert _count(AgendaVersion) == 0
    assert db.session.execute(sa.select(sa.func.count()).where(AgendaSession.starts_at.is_(None))).scalar_one() == 0


def test_seed_agenda_groups_proposals_by_first_action_line_without_clusters(app):
    demo = seed_foundation(PhaseKind.AGENDA_DRAFTING)
    for lines in (("C5", "C4"), ("C5",), ("C9",)):
        make_proposal(demo.consultation, demo.stakeholder, action_lines=lines)

    seed_agenda(demo)

    titles = db.session.execute(sa.select(AgendaSession.title).where(AgendaSession.track == Track.FORUM)
                                .order_by(AgendaSession.title)).scalars().all()
    # The Geneva Plan's order decides, so ("C5", "C4") counts as C4 first.
    assert titles == ["Thematic workshop: Building confidence and security in the use of ICTs",
                      "Thematic workshop: Capacity building", "Thematic workshop: Media"]


def test_seed_agenda_before_drafting_only_sets_the_venue(app):
    demo = seed_foundation(PhaseKind.CALL_OPEN)

    seed_agenda(demo)

    assert (_count(Room), _count(ForumDay), _count(AgendaSession)) == (len(DEMO_ROOMS), 5, 0)


def test_seed_agenda_in_final_phase_publishes_final_version(app):
    demo = seed_foundation(PhaseKind.FINAL)

    seed_agenda(demo)

    version = db.session.execute(sa.select(AgendaVersion)).scalar_one()
    assert (version.number, version.kind.value, len(version.snapshot)) == (1, "final", _count(AgendaSession))
