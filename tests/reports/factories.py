"""Data for the reports tests and benchmark: proposals with decisions, reviews, clusters, a scheduled agenda."""
import random
from datetime import datetime, time, timedelta, timezone

from consult.accounts.models import Role
from consult.agenda.models import (
    AgendaSession,
    AgendaVersion,
    AgendaVersionKind,
    ForumDay,
    PersonRole,
    Room,
    SessionActionLine,
    SessionPerson,
    SessionSdg,
)
from consult.clustering.models import Cluster, ClusterMember
from consult.extensions import db
from consult.proposals.models import Decision, ProposalKind
from consult.reference import ACTION_LINES, ForumPart, StakeholderType
from consult.reports.queries import session_record
from consult.review.models import DecisionReason
from tests import factories

WORDS = ("digital inclusion broadband access capacity building cybersecurity trust open data e-health "
         "e-learning local content multilingual internet governance sustainable development gender equality "
         "youth skills infrastructure satellite community networks privacy artificial intelligence ethics "
         "climate monitoring agriculture platforms cooperation regional partnership accessibility persons with "
         "disabilities innovation financing policy regulation spectrum indigenous languages libraries").split()
COUNTRIES = ("KE", "BR", "CH", "JP", "IN", "FR", "EG", "US", "CN", "AU", "NG", "DE", "MX", "SA", "RU")
CODES = [line.code for line in ACTION_LINES]


def words(rng: random.Random, count: int) -> str:
    """Generated but readable text of count words."""
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


def full_description(rng: random.Random) -> str:
    """A description as the 2018 OCP form asked for it: about 450 words, with topics and partnerships."""
    topics = "\n".join(f"- {words(rng, 14)}" for _ in range(4))
    return (f"{words(rng, 200)}\n\n### Topics for discussion\n\n{topics}\n\n"
            f"### Partnerships and expected outcomes\n\n{words(rng, 180)}")


def build_report_dataset(consultation, *, proposals: int = 30, sessions: int = 12, seed: int = 1,
                         rooms: int = 5, days: int = 5, publish: bool = True, full_texts: bool = False) -> dict:
    """A consultation's worth of report data, made directly with the models; returns what it made.

    full_texts gives submissions the length of the 2018 OCP report's (500 of them print about 600 pages).
    """
    rng = random.Random(seed)
    reviewers = [factories.make_user(role=Role.REVIEWER) for _ in range(3)]
    criteria = [factories.make_criterion(consultation, name=name, weight=weight, position=index)
                for index, (name, weight) in enumerate((("Relevance", 2.0), ("Diversity of views", 1.0),
                                                          ("Multistakeholder make-up", 1.0)))]
    reason = DecisionReason(consultation_id=consultation.id, code="out_of_scope", label="Out of scope", position=0)
    db.session.add(reason)
    db.session.flush()
    made = []
    parts = list(ForumPart)
    for index in range(proposals):
        decision = (Decision.ACCEPTED, Decision.ACCEPTED, Decision.MERGE, Decision.DECLINED, Decision.PENDING)[index % 5]
        proposal = factories.make_proposal(
            consultation, kind=ProposalKind.FORMAT if index % 3 == 0 else ProposalKind.THEMATIC,
            title=" ".join(rng.choice(WORDS) for _ in range(5)).capitalize(),
            summary=words(rng, 80 if full_texts else 40),
            description=full_description(rng) if full_texts else words(rng, 150),
            action_lines=tuple(sorted(set(rng.sample(CODES, 2)))), sdgs=tuple(sorted(set(rng.sample(range(1, 18), 2)))),
            decision=decision, speakers=(3 if full_texts else 2) if index % 3 == 0 else 0,
            submitter_name=f"Submitter {index}", submitter_email=f"submitter{index}@example.org",
            organization=f"Organization {index % 40}", stakeholder_type=list(StakeholderType)[index % 6],
            country=COUNTRIES[index % len(COUNTRIES)], forum_part=parts[index % 3],
            source="online" if index % 7 else "Open forum at the IGF",
            decision_reason_id=reason.id if decision is Decision.DECLINED else None,
        )
        for reviewer in reviewers[: 2 + index % 2]:
            factories.make_review(proposal, reviewer, {c: rng.randint(1, 5) for c in criteria})
        made.append(proposal)
    forum_days = [ForumDay(consultation_id=consultation.id, day=consultation.forum_start + timedelta(days=d),
                           starts_at=time(9), ends_at=time(18)) for d in range(days)]
    venue = [Room(consultation_id=consultation.id, name=f"Room {chr(65 + r)}", capacity=100 + 20 * r, position=r)
             for r in range(rooms)]
    db.session.add_all(forum_days + venue)
    db.session.flush()
    taken = [p for p in made if p.decision in (Decision.ACCEPTED, Decision.MERGE)]
    agenda = []
    for index in range(sessions):
        cluster = Cluster(consultation_id=consultation.id, title=f"Theme {index + 1}: " + " ".join(rng.sample(WORDS, 3)),
                          description=words(rng, 30), reasons="Shared action lines C3, C7")
        db.session.add(cluster)
        db.session.flush()
        members = taken[index::sessions] if index < len(taken) else []
        for member in members:
            db.session.add(ClusterMember(cluster_id=cluster.id, proposal_id=member.id))
        day = forum_days[index % days]
        room = venue[(index // days) % rooms]
        slot = (index // (days * rooms)) % 8
        starts = datetime.combine(day.day, time(9 + slot), tzinfo=timezone.utc)
        session = AgendaSession(
            consultation_id=consultation.id,
            cluster_id=cluster.id,
            title=f"Session {index + 1}: {cluster.title}",
            description=words(rng, 40),
            format_code="thematic_workshop",
            duration_minutes=60,
            day_id=day.id,
            room_id=room.id,
            starts_at=starts,
        )
        session.action_lines = [SessionActionLine(code=code) for code in sorted(set(rng.sample(CODES[:8], 2)))]
        session.sdgs = [SessionSdg(sdg=number) for number in sorted(set(rng.sample(range(1, 18), 2)))]
        session.people = [
            SessionPerson(role=PersonRole.ORGANIZER, position=0, name=f"Organizer {index}", person_key=f"org{index}",
                          organization=f"Organization {index % 40}"),
            SessionPerson(role=PersonRole.SPEAKER, position=1, name=f"Speaker {index}", person_key=f"sp{index}",
                          organization="University", is_remote=index % 4 == 0),
        ]
        db.session.add(session)
        agenda.append(session)
    db.session.flush()
    version = None
    if publish:
        version = AgendaVersion(consultation_id=consultation.id, number=1, kind=AgendaVersionKind.DRAFT,
                                snapshot=[session_record(session) for session in agenda])
        db.session.add(version)
        db.session.flush()
    return {"proposals": made, "sessions": agenda, "reviewers": reviewers, "criteria": criteria, "version": version}
