"""Demo data of the clustering: clusters accepted from suggestions, merge requests answered and one pending."""
from datetime import timedelta

import sqlalchemy as sa

from consult.clustering.consent import answer_merge_consent
from consult.clustering.models import ConsentState, MergeConsent
from consult.clustering.suggestions import accept_suggestion, join_nearest, scope_proposals, suggest_clusters
from consult.consultations.models import PhaseKind
from consult.demo.foundation import Demo
from consult.extensions import db
from consult.proposals.models import Proposal

DECLINE_COMMENT = ("Our workshop looks at the question from the regulators' side; we would rather keep a session "
                   "of our own, or co-moderate if the committee prefers one session.")


def seed_clustering(demo: Demo) -> None:
    """Cluster the demo's accepted (or else submitted) proposals through the suggestion service."""
    kinds = list(PhaseKind)
    if kinds.index(demo.phase) < kinds.index(PhaseKind.AGENDA_DRAFTING):
        return
    consultation = demo.consultation
    # The committee clustered during agenda drafting: act as at the start of that phase.
    when = consultation.phase(PhaseKind.AGENDA_DRAFTING).opens_at + timedelta(days=2)
    scope = "accepted" if len(scope_proposals(consultation.id, "accepted")) >= 4 else "submitted"
    if len(scope_proposals(consultation.id, scope)) < 2:
        return
    suggestions = suggest_clusters(consultation, actor=demo.chair, scope=scope, now=when)
    # Groups become clusters; a proposal like no group stays a suggestion, offered to the cluster nearest to it.
    clusters = [accept_suggestion(suggestion, actor=demo.chair, now=when) for suggestion in suggestions
                if len(suggestion.proposal_ids) > 1]
    # The demo stakeholder's proposal joins its nearest cluster when it came out alone: she has a merge request
    # to answer, and her proposal a session on the agenda.
    for suggestion in suggestions:
        if (len(suggestion.proposal_ids) == 1 and suggestion.nearest
                and db.session.get(Proposal, suggestion.proposal_ids[0]).submitter_id == demo.stakeholder.id):
            join_nearest(suggestion, actor=demo.chair, now=when)
    demo.extra["cluster_ids"] = [cluster.id for cluster in clusters]
    _answer_some_consents(demo, when + timedelta(days=1))


def _answer_some_consents(demo: Demo, when) -> None:
    consents = list(db.session.execute(
        sa.select(MergeConsent).where(MergeConsent.state == ConsentState.PENDING).order_by(MergeConsent.id)).scalars())
    answerable = [consent for consent in consents if consent.proposal.submitter_id is not None]
    # Leave the demo stakeholder one request to answer, so that the page shows a pending one.
    kept = next((consent for consent in answerable if consent.proposal.submitter_id == demo.stakeholder.id), None)
    kept = kept or (answerable[-1] if answerable else None)
    answered = [consent for consent in answerable if consent is not kept][:3]
    for index, consent in enumerate(answered):
        decline = index == len(answered) - 1 and len(answered) > 1
        answer_merge_consent(consent, actor=consent.proposal.submitter, accept=not decline,
                             comment=DECLINE_COMMENT if decline else "Happy to share the session.", now=when)
