"""Tables of the clustering area: clusters and their members, merge consents, suggested clusters."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import TimestampMixin, enum_type, utcnow
from consult.extensions import db
from consult.proposals.models import Proposal
from consult.reference import LabelledEnum, set_labels


class Cluster(TimestampMixin, db.Model):
    """A group of similar proposals that the committee turns into a session."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Why it was suggested (shared action lines, top terms), kept from the suggestion.
    reasons: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    version_id: Mapped[int] = mapped_column(default=1)

    members: Mapped[list["ClusterMember"]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan", order_by="ClusterMember.proposal_id"
    )

    __mapper_args__ = {"version_id_col": version_id}


class ClusterMember(db.Model):
    """A proposal placed in a cluster; a proposal belongs to one cluster at most."""

    __tablename__ = "cluster_members"

    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True, unique=True)
    # Set when the committee marks this proposal a duplicate of another member.
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    cluster: Mapped[Cluster] = relationship(back_populates="members")
    proposal: Mapped[Proposal] = relationship(foreign_keys=[proposal_id])


class ConsentState(LabelledEnum):
    """A submitter's answer to merging their proposal with others."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


CONSENT_STATE_LABELS = set_labels(ConsentState, {
    ConsentState.PENDING: _l("Awaiting answer"),
    ConsentState.ACCEPTED: _l("Accepted"),
    ConsentState.DECLINED: _l("Declined"),
})


class MergeConsent(TimestampMixin, db.Model):
    """A submitter's consent to their proposal being merged into a cluster with other submitters' proposals."""

    __tablename__ = "merge_consents"
    __table_args__ = (sa.UniqueConstraint("cluster_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(sa.ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    state: Mapped[ConsentState] = mapped_column(enum_type(ConsentState, "consent_state"), default=ConsentState.PENDING)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None]

    cluster: Mapped[Cluster] = relationship()
    proposal: Mapped[Proposal] = relationship()


class ClusterSuggestion(db.Model):
    """One suggested cluster of a clustering run, kept until the committee accepts it or asks again."""

    __tablename__ = "cluster_suggestions"
    __table_args__ = (sa.UniqueConstraint("run_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    # Every suggestion of one request shares its run id; a new request replaces the previous run.
    run_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    position: Mapped[int]
    scope: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)
    proposal_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    # What each member shares with the others, by proposal id (as a string: JSON keys).
    member_reasons: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # A one-proposal suggestion names the nearest suggestion of its run: {"position": n, "similarity": 0.41}.
    nearest: Mapped[dict | None] = mapped_column(sa.JSON)
    # Set once a cluster was made from it (in whole or in part).
    accepted_cluster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clusters.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
