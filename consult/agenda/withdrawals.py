"""A proposal withdrawn after it joined a cluster or a session: what the withdrawal page says, what the pages show."""
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from consult.agenda.models import AgendaSession, AgendaVersion, PersonRole
from consult.agenda.services import person_key
from consult.clustering.models import Cluster, ClusterMember
from consult.consultations.times import format_local
from consult.extensions import db
from consult.proposals.models import Proposal, ProposalStatus


def session_consequences(proposal: Proposal) -> list[str]:
    """What withdrawing proposal would leave behind: its cluster and the session made of it, if any."""
    if proposal.status is not ProposalStatus.SUBMITTED:
        return []
    cluster = db.session.execute(
        sa.select(Cluster).join(ClusterMember).where(ClusterMember.proposal_id == proposal.id)).scalar_one_or_none()
    if cluster is None:
        return []
    size = len(cluster.members)
    # Two messages: "the only one" has no number, and a translation of one form may need the number (Chinese).
    lines = [_("It is the only proposal of the cluster “%(title)s”, where it will be shown as withdrawn.", title=cluster.title)
             if size == 1 else
             ngettext("It is one of the %(num)d proposals of the cluster “%(title)s”, where it will be shown as withdrawn.",
                      "It is one of the %(num)d proposals of the cluster “%(title)s”, where it will be shown as withdrawn.",
                      size, title=cluster.title)]
    session = db.session.execute(sa.select(AgendaSession).where(AgendaSession.cluster_id == cluster.id)).scalar_one_or_none()
    if session is None:
        return lines
    if session.starts_at is not None and session.room is not None:
        lines.append(_("The cluster is the session “%(title)s” of the agenda, on %(when)s in %(room)s; the session "
                       "stays on the agenda until the chair changes it, and shows your proposal as withdrawn.",
                       title=session.title, when=format_local(session.starts_at, proposal.consultation.timezone),
                       room=session.room.name))
    else:
        lines.append(_("The cluster is the session “%(title)s” of the agenda (not scheduled yet); the session stays "
                       "until the chair changes it, and shows your proposal as withdrawn.", title=session.title))
    published = db.session.execute(sa.select(sa.func.count(AgendaVersion.id)).where(
        AgendaVersion.consultation_id == session.consultation_id)).scalar_one()
    if published:
        lines.append(_("The agenda is published: readers of the next version will see the change the chair makes."))
    key = person_key(proposal.submitter_name or proposal.organization, proposal.submitter_email)
    if any(person.role is PersonRole.ORGANIZER and person.person_key == key for person in session.people):
        lines.append(_("You are listed among the session's organizers until the chair removes you."))
    return lines


def withdrawn_proposals_of(session_id: int) -> list[Proposal]:
    """The proposals of a session's cluster that their submitters withdrew, oldest withdrawal first."""
    return list(db.session.execute(
        sa.select(Proposal).join(ClusterMember, ClusterMember.proposal_id == Proposal.id)
        .join(AgendaSession, AgendaSession.cluster_id == ClusterMember.cluster_id)
        .where(AgendaSession.id == session_id, Proposal.status == ProposalStatus.WITHDRAWN)
        .order_by(Proposal.withdrawn_at)).scalars())
