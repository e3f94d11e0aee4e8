"""Merge consents seen from the agenda: sessions whose cluster's submitters declined the merge or have not answered.

A session made from a cluster names every submitter's organization as an organizer; a submitter who declined, or was
asked and never answered, would be published as organizing a session they did not agree to. The chair sees these on
the session's page, the sessions list, the schedule and the publish page. Publishing is refused while a published
session carries a declined consent, or (for the final agenda) one still unanswered, unless the chair ticks "publish
anyway": a consent may have been given outside the tool (by e-mail, at a meeting), and the chair answers for that.
"""
from dataclasses import dataclass

from flask_babel import ngettext

from consult.agenda.models import AgendaSession, AgendaVersionKind
from consult.clustering.models import ConsentState, MergeConsent
from consult.clustering.queries import unsettled_consents
from consult.errors import DomainError


@dataclass(frozen=True)
class SessionConsents:
    """A session and the declined or unanswered consents of its cluster, declined first."""

    session: AgendaSession
    consents: list[MergeConsent]

    @property
    def declined(self) -> list[MergeConsent]:
        return [consent for consent in self.consents if consent.state is ConsentState.DECLINED]

    @property
    def pending(self) -> list[MergeConsent]:
        return [consent for consent in self.consents if consent.state is ConsentState.PENDING]


def consent_warnings(sessions) -> dict[int, SessionConsents]:
    """{session id: its unsettled consents} for the sessions (made from clusters) that have any, in one query."""
    sessions = list(sessions)
    by_cluster = unsettled_consents(session.cluster_id for session in sessions)
    return {session.id: SessionConsents(session, by_cluster[session.cluster_id])
            for session in sessions if session.cluster_id in by_cluster}


def ensure_consents_settled(warnings: dict[int, SessionConsents], *, kind: AgendaVersionKind, publish_anyway: bool) -> None:
    """Refuse to publish sessions with declined consents (or unanswered ones, for the final agenda) unless confirmed.

    A draft may go out while answers are awaited: submitters can still answer during the public comment.
    """
    if publish_anyway:
        return
    declined = [item for item in warnings.values() if item.declined]
    pending = [item for item in warnings.values() if item.pending] if kind is AgendaVersionKind.FINAL else []
    if declined:
        raise DomainError(ngettext(
            "%(num)d session names as organizer a submitter who declined the merge. Change it first, or tick "
            "“Publish anyway” if the submitter agreed in another way.",
            "%(num)d sessions name as organizers submitters who declined the merge. Change them first, or tick "
            "“Publish anyway” if the submitters agreed in another way.", len(declined)), field="publish_anyway")
    if pending:
        raise DomainError(ngettext(
            "%(num)d session of the final agenda names as organizer a submitter who never answered the merge "
            "request. Tick “Publish anyway” if the submitter agreed in another way.",
            "%(num)d sessions of the final agenda name as organizers submitters who never answered the merge "
            "request. Tick “Publish anyway” if the submitters agreed in another way.", len(pending)),
            field="publish_anyway")


def published_warnings(sessions, snapshot: list[dict]) -> dict[int, SessionConsents]:
    """The consent warnings of the sessions that the snapshot publishes (scheduled ones)."""
    published = {item["id"] for item in snapshot}
    return consent_warnings(session for session in sessions if session.id in published)

