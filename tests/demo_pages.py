"""Every GET page of every role in the demo: the sweeps (raw codes, valid HTML, phone width) walk these.

The routes come from `app.url_map`, so pages that areas add are swept without any change here; the ids in their
URLs come from the demo (a few per kind of object, the signed-in stakeholder's own proposals first). A URL a role
may not open (403, 404, a redirect to sign in) is not one of that role's pages.
"""
from dataclasses import dataclass

import sqlalchemy as sa

from consult.accounts.models import User
from consult.agenda.models import AgendaSession, AgendaVersion, Room
from consult.clustering.models import Cluster
from consult.consultations.models import Consultation, Phase
from consult.extensions import db, limiter
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Proposal, Speaker
from consult.proposals.speakers import speaker_token
from consult.review.models import Criterion, DecisionReason, ReviewAssignment

ROLES = {"anonymous": None, "stakeholder": "stakeholder@demo.consult.example",
         "reviewer": "reviewer@demo.consult.example", "chair": "chair@demo.consult.example"}
# Not pages: files, JSON and the health probe.
NOT_PAGES = {"static", "main.health", "reports.logo_image"}
NOT_PAGE_SUFFIXES = (".json", ".csv", ".xlsx", ".ics", "fmt>", "/download")
IDS_PER_KIND = 2


@dataclass(frozen=True)
class Page:
    """One page a role reaches: who, where, and the HTML it answered."""

    role: str
    url: str
    html: str


def _first_ids(column, limit: int = IDS_PER_KIND, where=None) -> list[int]:
    query = sa.select(column).order_by(column).limit(limit)
    if where is not None:
        query = query.where(where)
    return list(db.session.execute(query).scalars())


def _ids_by_argument(user: User | None) -> dict[str, list[int]]:
    proposal_ids = []
    if user is not None:
        proposal_ids += _first_ids(Proposal.id, 10, Proposal.submitter_id == user.id)
        proposal_ids += _first_ids(ReviewAssignment.proposal_id, IDS_PER_KIND, ReviewAssignment.reviewer_id == user.id)
    proposal_ids += _first_ids(Proposal.id, IDS_PER_KIND, Proposal.number.is_not(None))
    return {
        "proposal_id": list(dict.fromkeys(proposal_ids)),
        "session_id": _first_ids(AgendaSession.id),
        "room_id": _first_ids(Room.id),
        "number": _first_ids(AgendaVersion.number),
        "cluster_id": _first_ids(Cluster.id),
        "consultation_id": _first_ids(Consultation.id),
        "phase_id": _first_ids(Phase.id),
        "criterion_id": _first_ids(Criterion.id),
        "reason_id": _first_ids(DecisionReason.id),
        "message_id": _first_ids(OutboxMessage.id),
        # Another stakeholder's submitted proposal, for the pages that pair two proposals (writing to its authors).
        "other_id": _first_ids(Proposal.id, IDS_PER_KIND, sa.and_(Proposal.number.is_not(None),
                                                                  Proposal.submitter_id != (user.id if user else 0))),
        # Speakers' answer links: signed tokens of the first speakers who were asked.
        "token": [speaker_token(speaker) for speaker in db.session.execute(
            sa.select(Speaker).where(Speaker.email != "").order_by(Speaker.id).limit(IDS_PER_KIND)).scalars()],
    }


def page_urls(app, user: User | None) -> list[str]:
    """The URLs of every HTML GET route, with ids from the database for their arguments."""
    ids = _ids_by_argument(user)
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES or rule.rule.endswith(NOT_PAGE_SUFFIXES):
            continue
        arguments = sorted(rule.arguments)
        if not arguments:
            urls.append(rule.rule)
        elif all(argument in ids for argument in arguments):
            with app.test_request_context():
                from flask import url_for

                # The n-th id of each argument together (the stakeholder's own proposal with another's, say).
                for values in zip(*(ids[argument] for argument in arguments), strict=False):
                    urls.append(url_for(rule.endpoint, **dict(zip(arguments, values, strict=True))))
        else:
            raise AssertionError(f"no demo ids for the arguments of {rule.rule}: add them to tests/demo_pages.py")
    return urls


def demo_user(role: str) -> User | None:
    """The demo account of role, None for the visitor."""
    email = ROLES[role]
    return None if email is None else db.session.execute(sa.select(User).where(User.email == email)).scalar_one()


def signed_in(app, role: str, language: str | None = None):
    """A test client signed in as the demo account of role, reading in language (the switcher's cookie) if given."""
    client = app.test_client()
    if language is not None:
        from consult.i18n import COOKIE

        client.set_cookie(COOKIE, language)
    user = demo_user(role)
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def demo_pages(app, roles=tuple(ROLES), language: str | None = None) -> list[Page]:
    """Every HTML page each role reaches in the seeded demo, fetched with the test client (in language if given)."""
    limiter.enabled = False
    pages = []
    try:
        for role in roles:
            client = signed_in(app, role, language)
            for url in page_urls(app, demo_user(role)):
                with app.app_context():
                    response = client.get(url)
                assert response.status_code < 500, f"{role} {url} answered {response.status_code}"
                if response.status_code == 200 and response.mimetype == "text/html":
                    pages.append(Page(role=role, url=url, html=response.get_data(as_text=True)))
    finally:
        limiter.enabled = True
    return pages
