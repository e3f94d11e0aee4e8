"""Merge consent: each submitter of a cluster holding proposals of several submitters is asked and answers."""
import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import gettext as _

from consult.accounts.language import writing_to
from consult.audit.services import record_audit
from consult.clustering.models import CONSENT_STATE_LABELS, Cluster, ConsentState, MergeConsent  # noqa: F401 (labels re-exported)
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import Consultation, PhaseKind
from consult.consultations.times import format_local
from consult.db import utcnow
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.i18n import joined
from consult.outbox.services import queue_email
from consult.proposals.models import Proposal


def _submitter_key(proposal: Proposal):
    # Who filed it: the account when there is one, else the address or organization recorded at import.
    if proposal.submitter_id is not None:
        return ("user", proposal.submitter_id)
    if proposal.submitter_email:
        return ("email", proposal.submitter_email.lower())
    return ("organization", proposal.organization.strip().lower())


def submitter_count(proposals) -> int:
    """How many different submitters filed these proposals."""
    return len({_submitter_key(proposal) for proposal in proposals})


def contributing_organizations(proposals) -> list[str]:
    """The organizations the cluster credits: every submitter's organization, once, in order of first proposal."""
    seen: dict[str, str] = {}
    for proposal in sorted(proposals, key=lambda item: item.id):
        name = (proposal.organization or proposal.submitter_name or "").strip()
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def sync_merge_consents(cluster: Cluster, *, actor) -> list[MergeConsent]:
    """Ask every submitter of a multi-submitter cluster once (pending consent and e-mail); drop stale consents.

    A consent belongs to a proposal in a cluster: when the proposal leaves the cluster, or the cluster no longer
    merges different submitters' work, its consent is removed. Answers already given stay valid while the
    proposal stays in the cluster.
    """
    proposals = [member.proposal for member in cluster.members]
    existing = {consent.proposal_id: consent for consent in db.session.execute(
        sa.select(MergeConsent).where(MergeConsent.cluster_id == cluster.id)).scalars()}
    needed = {proposal.id for proposal in proposals} if submitter_count(proposals) >= 2 else set()
    for proposal_id, consent in existing.items():
        if proposal_id not in needed:
            db.session.delete(consent)
    created = []
    for proposal in proposals:
        if proposal.id in needed and proposal.id not in existing:
            consent = MergeConsent(cluster_id=cluster.id, proposal_id=proposal.id, state=ConsentState.PENDING)
            db.session.add(consent)
            created.append(consent)
            _tell_submitter(cluster, proposal, proposals)
    db.session.flush()
    for consent in created:
        record_audit("merge_consent.request", consent, actor=actor, consultation_id=cluster.consultation_id,
                     summary=_("Consent asked for %(reference)s in “%(cluster)s”",
                               reference=consent.proposal.reference, cluster=cluster.title))
    return created


def _tell_submitter(cluster: Cluster, proposal: Proposal, proposals: list[Proposal]) -> None:
    recipient = proposal.submitter_email or (proposal.submitter.email if proposal.submitter else "")
    if not recipient:
        return
    with writing_to(recipient):
        consultation = db.session.get(Consultation, cluster.consultation_id)
        # The recipient is a submitter: under blind review the other organizations are not theirs to read.
        partners = [] if consultation.is_blind_review else [
            name for name in contributing_organizations(proposals) if name != proposal.organization]
        last_phase = consultation.phase(PhaseKind.PUBLIC_COMMENT)
        deadline = format_local(last_phase.closes_at, consultation.timezone) if last_phase else ""
        link = url_for("clustering.consents", _external=True) if has_request_context() else ""
        body = _("Dear %(name)s,\n\nThe committee proposes to merge your proposal %(reference)s “%(title)s” with "
                 "proposals of %(partners)s into one session, “%(cluster)s”. The session would credit every "
                 "contributing organization.\n\nPlease accept or decline (with a comment) by %(deadline)s here:\n"
                 "%(link)s\n",
                 name=proposal.submitter_name or proposal.organization, reference=proposal.reference,
                 title=proposal.title, partners=joined(partners) or _("other submitters"), cluster=cluster.title,
                 deadline=deadline, link=link)
        queue_email(recipient, _("Merge request for your proposal %(reference)s", reference=proposal.reference), body,
                    category="merge_consent", consultation_id=cluster.consultation_id)


def can_answer_consent(user, consent: MergeConsent) -> bool:
    """Whether user filed the proposal this consent asks about."""
    if user is None or not user.is_authenticated:
        return False
    return consent.proposal.submitter_id == user.id


def answer_merge_consent(consent: MergeConsent, *, actor, accept: bool, comment: str = "", now=None) -> MergeConsent:
    """The submitter accepts or declines (declining needs a comment), during agenda drafting or public comment."""
    if not can_answer_consent(actor, consent):
        raise NotAllowedError(_("Only the submitter of the proposal answers this request."))
    consultation = db.session.get(Consultation, consent.cluster.consultation_id)
    ensure_phase_open(consultation, PhaseKind.AGENDA_DRAFTING, PhaseKind.PUBLIC_COMMENT, now=now)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise DomainError(_("Say why you decline, so that the committee can find another way."), field="comment")
    consent.state = ConsentState.ACCEPTED if accept else ConsentState.DECLINED
    consent.comment = comment
    consent.answered_at = now or utcnow()
    db.session.flush()
    record_audit("merge_consent.answer", consent, actor=actor, consultation_id=consultation.id,
                 summary=_("%(reference)s: %(state)s", reference=consent.proposal.reference, state=consent.state.label),
                 details={"cluster_id": consent.cluster_id, "state": consent.state.value, "comment": comment})
    return consent
