"""Demo consultation, phases and one account per role."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from consult.accounts.models import Role, User
from consult.accounts.services import register_user
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.services import create_consultation
from consult.db import utcnow

# Length of each phase in days, in the order of the 2017 cycle (call of six months, then short phases).
PHASE_DAYS = {
    PhaseKind.CALL_OPEN: 180,
    PhaseKind.REVIEW: 14,
    PhaseKind.AGENDA_DRAFTING: 21,
    PhaseKind.PUBLIC_COMMENT: 28,
    PhaseKind.FINAL: 60,
}
PHASE_DESCRIPTIONS = {
    PhaseKind.CALL_OPEN: "Online submissions open. Physical meetings (an open forum at the IGF, a meeting in Geneva) "
                         "feed in too.",
    PhaseKind.REVIEW: "Deadline for official submissions and binding workshop requests passed: the committee reviews.",
    PhaseKind.AGENDA_DRAFTING: "The committee clusters the submissions into sessions and drafts the agenda.",
    PhaseKind.PUBLIC_COMMENT: "The draft agenda and programme are presented for comment (final review meeting).",
    PhaseKind.FINAL: "Final brief: the agenda is frozen and the outcomes report published.",
}

DEMO_ACCOUNTS = (
    ("chair@demo.consult.example", "Amina Diallo", "WSIS Secretariat", "international_organization", "CH", Role.CHAIR),
    ("reviewer@demo.consult.example", "Lukas Berger", "University of Vienna", "academia", "AT", Role.REVIEWER),
    (
        "reviewer2@demo.consult.example",
        "Mei Tanaka",
        "Asia Pacific Network Information Centre",
        "technical_community",
        "JP",
        Role.REVIEWER,
    ),
    ("reviewer3@demo.consult.example", "Carlos Mendes", "Ministry of Communications", "government", "BR", Role.REVIEWER),
    ("stakeholder@demo.consult.example", "Grace Otieno", "Digital Inclusion Kenya", "civil_society", "KE", Role.STAKEHOLDER),
)


@dataclass
class Demo:
    """What the foundation seeded, handed to each area's seeding step."""

    consultation: Consultation
    chair: User
    reviewers: list[User]
    stakeholder: User
    phase: PhaseKind
    extra: dict = field(default_factory=dict)


def demo_phase_times(current: PhaseKind, now: datetime) -> tuple[dict[PhaseKind, tuple[datetime, datetime]], date, date]:
    """Phase times laid out so that `current` is open now (ten days before it closes), and the Forum dates."""
    kinds = list(PhaseKind)
    start = now - timedelta(days=sum(PHASE_DAYS[kind] for kind in kinds[: kinds.index(current)]))
    start -= timedelta(days=max(PHASE_DAYS[current] - 10, PHASE_DAYS[current] // 2))
    start = start.replace(minute=0, second=0, microsecond=0)
    times = {}
    for kind in kinds:
        times[kind] = (start, start + timedelta(days=PHASE_DAYS[kind]))
        start = times[kind][1]
    forum_start = (times[PhaseKind.FINAL][0] + timedelta(days=30)).date()
    forum_start += timedelta(days=-forum_start.weekday() % 7)  # the Forum week runs Monday to Friday
    return times, forum_start, forum_start + timedelta(days=4)


def seed_foundation(current: PhaseKind) -> Demo:
    """The demo consultation and its accounts."""
    times, forum_start, forum_end = demo_phase_times(current, utcnow())
    consultation = create_consultation(
        title=f"WSIS Forum {forum_start.year} Open Consultation (demo)", year=forum_start.year,
        theme="Information and Knowledge Societies for SDGs", forum_start=forum_start, forum_end=forum_end,
        timezone_name="Europe/Zurich", phase_times=times,
    )
    for phase in consultation.phases:
        phase.description = PHASE_DESCRIPTIONS[phase.kind]
    consultation.submissions_published = True
    users = {}
    from consult.demo import DEMO_PASSWORD

    for email, name, organization, stakeholder_type, country, role in DEMO_ACCOUNTS:
        users[email] = register_user(name=name, email=email, password=DEMO_PASSWORD, organization=organization,
                                     stakeholder_type=stakeholder_type, country=country, role=role)
    return Demo(
        consultation=consultation,
        chair=users["chair@demo.consult.example"],
        reviewers=[users[e] for e in ("reviewer@demo.consult.example", "reviewer2@demo.consult.example",
                                      "reviewer3@demo.consult.example")],
        stakeholder=users["stakeholder@demo.consult.example"],
        phase=current,
    )


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    """A UTC datetime, for demo texts."""
    return datetime(year, month, day, hour, tzinfo=timezone.utc)
