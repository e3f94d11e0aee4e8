"""The consultation in figures: counts, breakdowns, the coverage matrix, acceptance rates, the review method.

Groups smaller than SMALL_GROUP are printed as "<5" wherever a count describes people (speakers' gender), so
that no one can be singled out from a published table.
"""
import statistics
from collections import Counter, defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult import reference
from consult.agenda.models import AgendaSession, PersonRole, SessionPerson
from consult.clustering.models import Cluster, ClusterMember
from consult.consultations.times import format_number
from consult.extensions import db
from consult.proposals.models import PROPOSAL_KIND_LABELS, Decision, Proposal, ProposalKind, ProposalStatus, Speaker
from consult.reference import REGION_LABELS, SDGS, SESSION_FORMATS_BY_CODE, STAKEHOLDER_TYPE_LABELS, in_reader_language
from consult.reports.queries import TOP_ACTION_LINES, action_line_label, top_action_line
from consult.reports.submissions import TAKEN_UP, annex_group, cached_markdown
from consult.review.models import Criterion, Review, ReviewState
from consult.review.ranking import aggregate_scores

SMALL_GROUP = 5
GENDER_LABELS = {"female": _l("Women"), "male": _l("Men"), "other": _l("Other or self-described"), "": _l("Not given")}


def suppressed(count: int) -> str:
    """A count of people as published: '<5' for 1 to 4, else the number."""
    return "<5" if 0 < count < SMALL_GROUP else str(count)


def counted(counter: Counter, labels: dict) -> list[tuple[str, int]]:
    """(label, count) pairs in the order of labels, then any unknown keys."""
    pairs = [(str(label), counter.get(key, 0)) for key, label in labels.items()]
    pairs += [(str(key), value) for key, value in counter.items() if key not in labels]
    return pairs


def speaker_genders(consultation_id: int) -> dict:
    """Speakers' and moderators' gender as counts only (never per person), small groups suppressed.

    Counted from the agenda's sessions when they name people, else from the speakers the submissions named.
    """
    rows = db.session.execute(
        sa.select(SessionPerson.gender, sa.func.count())
        .join(AgendaSession, AgendaSession.id == SessionPerson.session_id)
        .where(AgendaSession.consultation_id == consultation_id,
               SessionPerson.role.in_((PersonRole.SPEAKER, PersonRole.MODERATOR)))
        .group_by(SessionPerson.gender)
    ).all()
    basis = _("speakers and moderators of the agenda's sessions")
    if not rows:
        rows = db.session.execute(
            sa.select(Speaker.gender, sa.func.count()).join(Proposal, Proposal.id == Speaker.proposal_id)
            .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED)
            .group_by(Speaker.gender)
        ).all()
        basis = _("speakers named in the submissions")
    counts = Counter()
    for gender, count in rows:
        counts[(gender or "").strip().lower() if (gender or "").strip().lower() in GENDER_LABELS else "other"] += count
    total = sum(counts.values())
    return {"basis": basis, "total": total,
            "rows": [{"label": str(label), "count": suppressed(counts.get(key, 0)),
                      "share": f"{100 * counts[key] / total:.0f} %" if total and counts.get(key, 0) >= SMALL_GROUP else "–"}
                     for key, label in GENDER_LABELS.items()]}


def outcome_statistics(proposals: list[Proposal], sessions: list[dict]) -> dict:
    """Summary figures, breakdowns for the charts, the coverage matrix and acceptance rates."""
    active = [p for p in proposals if p.status is ProposalStatus.SUBMITTED]
    # Imported rows whose labels the committee has not confirmed are counted apart, never under a guess.
    to_classify = sum(1 for p in active if p.is_to_classify)
    by_line = Counter(top_action_line(code) for p in active if not p.is_to_classify for code in set(p.action_line_codes))
    decisions = Counter(p.decision for p in active)

    def rates(key, labels):
        rows = []
        for value, label in labels.items():
            group = [p for p in active if key(p) == value]
            accepted = sum(1 for p in group if p.decision in TAKEN_UP)
            rows.append({"label": str(label), "submitted": len(group), "accepted": accepted,
                         "rate": f"{100 * accepted / len(group):.0f} %" if group else "–"})
        return rows

    basis = sessions if sessions else [
        {"action_lines": p.action_line_codes, "sdgs": p.sdg_numbers} for p in active if p.decision in TAKEN_UP]
    matrix = {line: {number: 0 for number in SDGS} for line in TOP_ACTION_LINES}
    for entry in basis:
        for line in {top_action_line(code) for code in entry.get("action_lines") or []}:
            for number in entry.get("sdgs") or []:
                if line in matrix and number in matrix[line]:
                    matrix[line][number] += 1
    countries = Counter(p.country for p in active if p.country)
    return {
        "submitted": len(active),
        "withdrawn": sum(1 for p in proposals if p.status is ProposalStatus.WITHDRAWN),
        "organizations": len({p.organization.strip().lower() for p in active if p.organization}),
        "countries": len(countries),
        "accepted": decisions[Decision.ACCEPTED],
        "merged": decisions[Decision.MERGE],
        "declined": decisions[Decision.DECLINED],
        "pending": decisions[Decision.PENDING],
        "sessions": len(sessions),
        "from_meetings": sum(1 for p in active if annex_group(p) == "physical_meetings"),
        "by_type": counted(Counter(p.stakeholder_type for p in active), STAKEHOLDER_TYPE_LABELS),
        "by_region": counted(Counter(p.region for p in active), REGION_LABELS),
        "by_kind": counted(Counter(p.kind for p in active), PROPOSAL_KIND_LABELS),
        "by_action_line": [(code, by_line.get(code, 0)) for code in TOP_ACTION_LINES] + (
            [(str(_("to classify")), to_classify)] if to_classify else []),
        "to_classify": to_classify,
        "by_sdg": [(str(number), count) for number, count in
                   ((n, Counter(x for p in active for x in p.sdg_numbers).get(n, 0)) for n in SDGS)],
        "top_countries": [(reference.country_name(code), count) for code, count in countries.most_common(15)],
        "matrix": [{"line": line, "label": action_line_label(line), "cells": [matrix[line][n] for n in SDGS]}
                   for line in TOP_ACTION_LINES],
        "matrix_basis": _("sessions of the agenda") if sessions else _("accepted submissions"),
        "matrix_gaps": sum(1 for line in matrix for number in matrix[line] if matrix[line][number] == 0),
        "rates_by_type": rates(lambda p: p.stakeholder_type, STAKEHOLDER_TYPE_LABELS),
        "rates_by_region": rates(lambda p: p.region, REGION_LABELS),
    }


def review_method(consultation_id: int) -> dict:
    """Criteria and weights, and the calibration in plain figures, computed from the submitted reviews.

    The calibration is the review area's: each reviewer's totals become z-scores (their own mean and spread),
    averaged per proposal.
    """
    criteria = db.session.execute(
        sa.select(Criterion).where(Criterion.consultation_id == consultation_id, Criterion.is_active.is_(True))
        .order_by(Criterion.position, Criterion.id)
    ).scalars().all()
    reviews = db.session.execute(
        sa.select(Review.reviewer_id, Review.proposal_id, Review.total_score)
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.consultation_id == consultation_id, Review.state == ReviewState.SUBMITTED,
               Review.total_score.is_not(None))
    ).all()
    by_reviewer = defaultdict(list)
    per_proposal = Counter()
    for reviewer_id, proposal_id, total in reviews:
        by_reviewer[reviewer_id].append(total)
        per_proposal[proposal_id] += 1
    means = [statistics.fmean(totals) for totals in by_reviewer.values()]
    total_weight = sum(c.weight for c in criteria)
    return {
        "criteria": [{"name": in_reader_language(c.name), "description": in_reader_language(c.description),
                      "share": f"{100 * c.weight / total_weight:.0f} %" if total_weight else "–",
                      "scale": f"{c.scale_min}–{c.scale_max}"} for c in criteria],
        "reviews": len(reviews),
        "reviewers": len(by_reviewer),
        "proposals_reviewed": len(aggregate_scores(reviews)),
        "reviews_per_proposal": format_number(statistics.fmean(per_proposal.values()), 1) if per_proposal else "–",
        "leniency_spread": format_number(max(means) - min(means), 1) if len(means) > 1 else "–",
    }


def themes(consultation_id: int) -> list[dict]:
    """The clusters (themes) with their size and the session they became; the committee's own notes stay out."""
    member_counts = dict(db.session.execute(
        sa.select(ClusterMember.cluster_id, sa.func.count()).join(Cluster, Cluster.id == ClusterMember.cluster_id)
        .where(Cluster.consultation_id == consultation_id).group_by(ClusterMember.cluster_id)
    ).all())
    session_by_cluster = dict(db.session.execute(
        sa.select(AgendaSession.cluster_id, AgendaSession.title)
        .where(AgendaSession.consultation_id == consultation_id, AgendaSession.cluster_id.is_not(None))
    ).all())
    clusters = db.session.execute(
        sa.select(Cluster).where(Cluster.consultation_id == consultation_id).order_by(Cluster.title, Cluster.id)
    ).scalars()
    return [{"title": cluster.title, "description_html": cached_markdown(cluster.description),
             "members": member_counts.get(cluster.id, 0), "session": session_by_cluster.get(cluster.id)}
            for cluster in clusters]


def format_innovations(proposals: list[Proposal]) -> dict:
    """Format proposals by format, and the new formats stakeholders suggested in their own words."""
    formats = [p for p in proposals if p.kind is ProposalKind.FORMAT and p.status is ProposalStatus.SUBMITTED]
    counts = Counter(p.format_code or "other" for p in formats)
    labels = {code: str(fmt.label) for code, fmt in SESSION_FORMATS_BY_CODE.items()}
    return {
        "total": len(formats),
        "by_format": [(labels.get(code, _("Other")), count) for code, count in counts.most_common()],
        "suggested": [{"reference": p.reference, "title": p.title, "format": p.format_other,
                       "is_taken_up": p.decision in TAKEN_UP}
                      for p in formats if p.format_other or (p.format_code or "other") not in SESSION_FORMATS_BY_CODE],
        "taken_up": sum(1 for p in formats if p.decision in TAKEN_UP),
        "remote": sum(1 for p in formats if p.has_remote_participation),
        "binding": sum(1 for p in formats if p.is_binding_request),
    }
