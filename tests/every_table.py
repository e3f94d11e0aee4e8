"""A data set with at least one row in every table of the metadata, with awkward values, for backup and scale tests.

`fill_every_table()` makes rows for every model it knows (consult/models.py at the time of writing), then, for a
table an area added later, synthesises one row from the column types (foreign keys point at existing rows). A table
that stays empty is named by `empty_tables()`, so a test can tell the author to add it here.
"""
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from consult.accounts.models import Role
from consult.agenda.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    ForumDay,
    PersonRole,
    PlenarySlot,
    Room,
    SessionActionLine,
    SessionComment,
    SessionPerson,
    SessionSdg,
)
from consult.audit.services import record_audit
from consult.clustering.models import Cluster, ClusterMember, ConsentState, MergeConsent
from consult.extensions import db
from consult.outbox.models import MessageState, OutboxMessage
from consult.proposals.models import ImportBatch, ImportPreview, ProposalKind, ProposalRevision
from consult.reference import ForumPart, StakeholderType, Track
from consult.reports.models import JobState, ReportJob, ReportKind, ReportLogo
from consult.review.models import Conflict, DecisionReason, Recommendation
from tests import factories

# Right-to-left, emoji with a zero-width joiner, combining marks, a quote, a NUL-free control-free mix.
AWKWARD_TEXT = "نادية حداد — 👩🏽‍💻 Zoë Ångström (e\u0301) «quoted» 'single' \"double\" <b>&amp;</b>"
EXACT_FLOAT = 0.1 + 0.2  # 0.30000000000000004: a float that only survives if written exactly
MOMENT = datetime(2025, 3, 9, 23, 59, 59, 123456, tzinfo=timezone.utc)


def fill_every_table() -> dict:
    """Rows in every known table, flushed (not committed); returns the main objects by name."""
    chair = factories.make_user(role=Role.CHAIR, name=AWKWARD_TEXT[:120], organization="WSIS Secretariat")
    reviewer = factories.make_user(role=Role.REVIEWER, stakeholder_type=StakeholderType.ACADEMIA, country="AT")
    stakeholder = factories.make_user(country="JO")
    consultation = factories.make_consultation()
    batch = ImportBatch(consultation_id=consultation.id, filename="regional-meeting.xlsx", row_count=2,
                        imported_by_id=chair.id)
    reason = DecisionReason(consultation_id=consultation.id, code="scope", label="Out of scope", position=1)
    db.session.add_all([batch, reason])
    db.session.flush()
    thematic = factories.make_proposal(consultation, stakeholder, title=AWKWARD_TEXT[:200], speakers=2,
                                       action_lines=("C1", "C4"), sdgs=(4, 17), keywords="مفتاح, ключ, 鍵")
    format_proposal = factories.make_proposal(
        consultation, None, kind=ProposalKind.FORMAT, import_batch_id=batch.id, source="Regional meeting, Accra",
        forum_part=ForumPart.ACTION_LINES, is_binding_request=True, has_remote_participation=True,
        decision_reason_id=reason.id, decided_at=MOMENT, decided_by_id=chair.id, creation_token="token-" + "x" * 40)
    revision = ProposalRevision(proposal_id=thematic.id, number=1, author_id=stakeholder.id, created_at=MOMENT,
                                data={"title": AWKWARD_TEXT, "sdgs": [4, 17], "nested": {"ok": True, "n": None}})
    criterion = factories.make_criterion(consultation, weight=EXACT_FLOAT, scale_min=0, scale_max=10)
    factories.make_assignment(thematic, reviewer)
    factories.make_review(thematic, reviewer, {criterion: 7}, recommendation=Recommendation.MERGE,
                          merge_with_id=format_proposal.id, comment_to_committee=AWKWARD_TEXT)
    conflict = Conflict(reviewer_id=chair.id, proposal_id=format_proposal.id, reason="Same organization")
    cluster = Cluster(consultation_id=consultation.id, title="Digital inclusion", reasons="C4; inclusion",
                      created_by_id=reviewer.id)
    db.session.add_all([revision, conflict, cluster])
    db.session.flush()
    member = ClusterMember(cluster_id=cluster.id, proposal_id=thematic.id, duplicate_of_id=format_proposal.id,
                           added_at=MOMENT)
    consent = MergeConsent(cluster_id=cluster.id, proposal_id=thematic.id, state=ConsentState.ACCEPTED,
                           comment="Fine with us", answered_at=MOMENT)
    day = ForumDay(consultation_id=consultation.id, day=consultation.forum_start, starts_at=time(9, 15),
                   ends_at=time(18, 45, 30), granularity_minutes=15)
    room = Room(consultation_id=consultation.id, name="Room K", capacity=120, has_interpretation=True)
    db.session.add_all([member, consent, day, room])
    db.session.flush()
    session = AgendaSession(consultation_id=consultation.id, cluster_id=cluster.id, title="Bridging the gap",
                            format_code="thematic_workshop", track=Track.HIGH_LEVEL, day_id=day.id, room_id=room.id,
                            starts_at=MOMENT, is_pinned=True)
    db.session.add(session)
    db.session.flush()
    db.session.add_all([
        SessionPerson(session_id=session.id, role=PersonRole.MODERATOR, name="Zoë", person_key="zoë",
                      stakeholder_type=StakeholderType.GOVERNMENT, country="FR", is_remote=True),
        SessionActionLine(session_id=session.id, code="C4"),
        SessionSdg(session_id=session.id, sdg=17),
        AgendaVersion(consultation_id=consultation.id, number=1, kind=AgendaVersionKind.DRAFT, published_at=MOMENT,
                      published_by_id=chair.id, snapshot=[{"id": session.id, "title": "Bridging", "start": None}]),
        SessionComment(session_id=session.id, author_id=stakeholder.id, body=AWKWARD_TEXT, is_hidden=True,
                       hidden_reason="Off topic", hidden_by_id=chair.id),
        OutboxMessage(consultation_id=consultation.id, recipient=stakeholder.email, subject="Received",
                      body="Your proposal P-0001 is received.", state=MessageState.SENT, category="proposal",
                      attempts=1, sent_at=MOMENT),
        ReportJob(consultation_id=consultation.id, kind=ReportKind.OUTCOMES, state=JobState.DONE, progress=100,
                  requested_by_id=chair.id, file_name="outcomes.pdf", page_count=612, finished_at=MOMENT),
        PlenarySlot(consultation_id=consultation.id, day_id=day.id, starts_at=time(12), ends_at=time(13, 30),
                    title="WSIS Prizes ceremony"),
        ReportLogo(consultation_id=consultation.id, organiser="ITU", mime_type="image/svg+xml",
                   data=b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', sha256="0" * 64, position=1),
        ImportPreview(token="t" * 64, consultation_id=consultation.id, filename="meeting.csv", source="Geneva meeting",
                      data=b"title\nBridging\n", created_by_id=chair.id, consumed_at=MOMENT),
    ])
    record_audit("backup.test", thematic, actor=chair, summary="every type", details={"float": EXACT_FLOAT, "list": [1, "ü"]})
    db.session.flush()
    synthesise_missing_rows()
    return {"chair": chair, "reviewer": reviewer, "stakeholder": stakeholder, "consultation": consultation}


def empty_tables() -> list[str]:
    """Names of the tables without a row."""
    return [table.name for table in db.metadata.sorted_tables
            if db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0]


def synthesise_missing_rows() -> None:
    """One row from the column types in each table still empty (tables added by later areas)."""
    for name in empty_tables():
        table = db.metadata.tables[name]
        row = {column.name: _synthetic_value(column) for column in table.columns if _needs_value(column)}
        savepoint = db.session.begin_nested()
        try:
            db.session.execute(table.insert().values(**row))
            savepoint.commit()
        except sa.exc.DBAPIError:
            # A check constraint the generic values do not meet: the table stays empty and the caller names it.
            savepoint.rollback()


def _needs_value(column: sa.Column) -> bool:
    if column.primary_key and column.autoincrement in (True, "auto") and isinstance(column.type, sa.Integer) \
            and not column.foreign_keys:
        return False
    return column.default is None and column.server_default is None or bool(column.foreign_keys)


def _synthetic_value(column: sa.Column):
    for foreign_key in column.foreign_keys:
        referred = foreign_key.column
        value = db.session.execute(sa.select(referred).limit(1)).scalar()
        if value is not None or not column.nullable:
            return value
        return None
    column_type = column.type
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.Enum):
        return column_type.enum_class(column_type.enums[0]) if column_type.enum_class else column_type.enums[0]
    if isinstance(column_type, sa.JSON):
        return {"synthetic": True}
    if isinstance(column_type, sa.DateTime):
        return MOMENT + timedelta(days=1)
    if isinstance(column_type, sa.Date):
        return date(2025, 7, 7)
    if isinstance(column_type, sa.Time):
        return time(10, 30)
    if isinstance(column_type, sa.Boolean):
        return True
    if isinstance(column_type, sa.Float):
        return 1.5
    if isinstance(column_type, sa.Integer):
        return 1
    if isinstance(column_type, sa.String):
        return "synthetic"[: column_type.length or 9]
    return None
