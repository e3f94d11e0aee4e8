"""Import every area's models so that the metadata (and Alembic) sees all tables."""
from consult.accounts.models import AccountPolicy, Consent, Invitation, PrivacyNotice, RecoveryCode, Role, User  # noqa: F401
from consult.agenda.models import (  # noqa: F401
    AgendaSession,
    AgendaVersion,
    ForumDay,
    Room,
    SessionActionLine,
    SessionComment,
    SessionPerson,
    SessionSdg,
)
from consult.audit.models import AuditEntry  # noqa: F401
from consult.clustering.models import Cluster, ClusterMember, ClusterSuggestion, MergeConsent  # noqa: F401
from consult.consultations.models import Consultation, Phase, PhaseKind  # noqa: F401
from consult.jobs.models import WorkJob  # noqa: F401
from consult.outbox.models import OutboxMessage  # noqa: F401
from consult.pagecache import SiteGeneration  # noqa: F401
from consult.proposals import search  # noqa: F401  (the full-text index is created with the proposals table)
from consult.proposals.models import (  # noqa: F401
    ImportBatch,
    Proposal,
    ProposalActionLine,
    ProposalRevision,
    ProposalSdg,
    Speaker,
)
from consult.reports.models import ReportJob, ReportLogo, ReportSettings  # noqa: F401
from consult.review.models import (  # noqa: F401
    Conflict,
    Criterion,
    DecisionReason,
    Review,
    ReviewAssignment,
    Score,
)
