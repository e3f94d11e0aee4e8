"""The world the authorization matrix walks in: one consultation in a given phase, its people, and data that could leak.

Every object a URL of the table points at exists here, owned so that the roles differ on it: the stakeholder owns
a draft and a submitted proposal; another stakeholder owns nothing of theirs but a proposal of their own in the same
cluster; the reviewer is assigned to the stakeholder's submitted proposal and the conflicted reviewer declared a
conflict on it. The same world is built for every phase, so that a route can be tried where it is reachable.
"""
import itertools
from dataclasses import dataclass, field
from datetime import time

import sqlalchemy as sa

from consult.accounts.models import Invitation, Role, User
from consult.agenda.models import AgendaSession, AgendaVersion, AgendaVersionKind, ForumDay, Room, SessionComment
from consult.agenda.services import build_snapshot
from consult.clustering.consent import sync_merge_consents
from consult.clustering.models import Cluster, ClusterSuggestion, MergeConsent
from consult.consultations.models import Consultation, PhaseKind
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus
from consult.reference import StakeholderType
from consult.review.models import Conflict, Criterion, DecisionReason, ReviewAssignment
from consult.review.services import ensure_default_criteria
from tests import factories
from tests.agenda.factories import make_cluster, make_days, make_room, make_session

_sequence = itertools.count(1)


@dataclass
class World:
    """The users (one per role of the table) and the objects the URL builders of the table point at."""

    consultation: Consultation
    stakeholder: User
    other_stakeholder: User
    reviewer: User
    conflicted_reviewer: User
    chair: User
    draft: Proposal | None = None
    proposal: Proposal | None = None
    other_proposal: Proposal | None = None
    assignment: ReviewAssignment | None = None
    criterion: Criterion | None = None
    reason: DecisionReason | None = None
    cluster: Cluster | None = None
    consent: MergeConsent | None = None
    suggestion: ClusterSuggestion | None = None
    day: ForumDay | None = None
    room: Room | None = None
    session: AgendaSession | None = None
    version: AgendaVersion | None = None
    comment: SessionComment | None = None
    extra: dict = field(default_factory=dict)

    # Builders for the routes that change or delete what they point at: a fresh object per request, so that one
    # request does not change what the next one of the same test sees.

    def fresh_invitation(self):
        """A pending invitation (for re-sending or revoking)."""
        invitation = Invitation(email=f"invitee{len(self.extra)}-{id(self)}@example.org", name="Invitee",
                                role=Role.REVIEWER, nonce="n", sent_count=1, invited_by_id=self.chair.id)
        self.extra[f"invitation-{len(self.extra)}"] = invitation
        db.session.add(invitation)
        db.session.flush()
        return invitation

    def fresh_draft(self) -> Proposal:
        """Another draft of the stakeholder's (for submitting)."""
        return factories.make_proposal(self.consultation, self.stakeholder, status=ProposalStatus.DRAFT,
                                       title="Another draft of the stakeholder")

    def fresh_submitted(self) -> Proposal:
        """Another submitted proposal of the stakeholder's, with the same conflict (for withdrawing)."""
        proposal = factories.make_proposal(self.consultation, self.stakeholder, title="Another proposal of the stakeholder")
        db.session.add(Conflict(reviewer_id=self.conflicted_reviewer.id, proposal_id=proposal.id, reason="Same employer"))
        db.session.flush()
        return proposal

    def fresh_assignment(self) -> ReviewAssignment:
        """An assignment of a colleague to the other stakeholder's proposal (for removing)."""
        colleague = factories.make_user(role=Role.REVIEWER, name="Colleague reviewer")
        return factories.make_assignment(self.other_proposal, colleague)

    def fresh_cluster(self) -> Cluster:
        """A cluster of a new proposal (for deleting)."""
        return make_cluster(self.consultation, [factories.make_proposal(self.consultation, factories.make_user())],
                            title="Cluster to delete")

    def fresh_suggestion(self) -> ClusterSuggestion:
        """A suggestion over a new, unclustered proposal (for accepting)."""
        proposal = factories.make_proposal(self.consultation, factories.make_user())
        suggestion = ClusterSuggestion(consultation_id=self.consultation.id, run_id=f"run{proposal.id}", position=0,
                                       scope="submitted", title="Suggested", reasons=[], proposal_ids=[proposal.id])
        db.session.add(suggestion)
        db.session.flush()
        return suggestion

    def fresh_to_classify(self) -> Proposal:
        """A proposal imported without action lines, awaiting the committee (for classifying)."""
        return factories.make_proposal(self.consultation, None, action_lines=(), is_to_classify=True,
                                       suggested_labels={"action_lines": [["C5", 0.4]], "sdgs": []})

    def fresh_leftover(self) -> ClusterSuggestion:
        """A one-proposal suggestion whose nearest suggestion of the same run is still open (for joining it)."""
        target = self.fresh_suggestion()
        proposal = factories.make_proposal(self.consultation, factories.make_user())
        leftover = ClusterSuggestion(consultation_id=self.consultation.id, run_id=target.run_id, position=1,
                                     scope="submitted", title=proposal.title, reasons=[], proposal_ids=[proposal.id],
                                     nearest={"position": target.position, "similarity": 0.31})
        db.session.add(leftover)
        db.session.flush()
        return leftover

    def fresh_room(self) -> Room:
        """An empty room (for deleting)."""
        return make_room(self.consultation, name=f"Room to delete {next(_sequence)}")

    def fresh_person(self):
        """A speaker of the session (for removing)."""
        session = make_session(self.consultation, title="Session with a speaker", people=("Removable Speaker",))
        return session.people[0]


def build_world(phase: PhaseKind, *, stakeholder: User, reviewer: User, chair: User) -> World:
    """Everything the table's URLs point at, in a consultation whose phase `phase` is open now; committed."""
    consultation = factories.make_consultation(current=phase)
    world = World(
        consultation=consultation, stakeholder=stakeholder,
        other_stakeholder=factories.make_user(name="Other Stakeholder", organization="Other Organization", country="BR"),
        reviewer=reviewer,
        conflicted_reviewer=factories.make_user(role=Role.REVIEWER, name="Conflicted Reviewer",
                                                organization="Digital Inclusion Kenya",
                                                stakeholder_type=StakeholderType.CIVIL_SOCIETY, country="KE"),
        chair=chair,
    )
    criteria = ensure_default_criteria(consultation)
    world.criterion = criteria[0]
    world.reason = db.session.execute(
        sa.select(DecisionReason).where(DecisionReason.consultation_id == consultation.id).limit(1)).scalar_one()

    world.draft = factories.make_proposal(consultation, stakeholder, status=ProposalStatus.DRAFT,
                                          title="Secret draft of the stakeholder", speakers=1)
    world.proposal = factories.make_proposal(consultation, stakeholder, title="Submitted proposal of the stakeholder", speakers=1)
    world.other_proposal = factories.make_proposal(
        consultation, world.other_stakeholder, title="Proposal of the other stakeholder"
    )
    world.assignment = factories.make_assignment(world.proposal, reviewer)
    db.session.add(Conflict(reviewer_id=world.conflicted_reviewer.id, proposal_id=world.proposal.id,
                            reason="Same organization"))

    world.cluster = make_cluster(consultation, [world.proposal, world.other_proposal], title="Community networks")
    sync_merge_consents(world.cluster, actor=reviewer)
    world.consent = db.session.execute(sa.select(MergeConsent).where(
        MergeConsent.cluster_id == world.cluster.id, MergeConsent.proposal_id == world.proposal.id)).scalar_one()
    world.suggestion = world.fresh_suggestion()

    world.day = make_days(consultation, 1)[0]
    world.room = make_room(consultation, name="Popov Room", capacity=300)
    world.session = make_session(consultation, title="Community networks session", people=("Ada Speaker",),
                                 day=world.day, room=world.room, start=time(10, 0))
    # Published directly: the publishing service is gated to the drafting and comment phases.
    world.version = AgendaVersion(consultation_id=consultation.id, number=1, kind=AgendaVersionKind.DRAFT,
                                  published_by_id=chair.id, snapshot=build_snapshot(consultation))
    world.comment = SessionComment(session_id=world.session.id, author_id=world.other_stakeholder.id,
                                   body="A comment by the other stakeholder")
    db.session.add_all([world.version, world.comment])
    db.session.flush()
    db.session.commit()
    return world
