"""Action lines and SDGs suggested for proposals, and the committee's confirmation of imported rows' labels.

Suggestions come from the text model (consult/textmodel/labels.py) fitted on the consultation's submitted
proposals, so that its confirmed labels teach it as they come in. A proposal imported without an action line is
"to classify": it has no action lines of its own until the committee confirms or changes the suggestion; the
ranking, clustering and reports count it as unclassified meanwhile.
"""
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _
from scipy import sparse

from consult import reference
from consult.accounts.models import Role
from consult.accounts.permissions import has_role
from consult.audit.services import record_audit
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import PhaseKind
from consult.errors import DomainError, NotAllowedError
from consult.extensions import db
from consult.i18n import joined
from consult.proposals.models import Proposal, ProposalActionLine, ProposalSdg, ProposalStatus
from consult.proposals.similarity import corpus_index, proposal_language, proposal_text
from consult.textmodel.labels import LabelSuggestion, best_labels, score_themes
from consult.textmodel.languages import DEFAULT_LANGUAGE
from consult.textmodel.model import unit_rows


def suggest_labels_for_texts(consultation_id: int, texts: Sequence[str],
                             languages: Sequence[str] | None = None) -> list[LabelSuggestion]:
    """Suggested action lines and SDGs for each text (each in its language, default English), learnt from the
    consultation's labelled proposals too."""
    if not texts:
        return []
    index, _loaded = corpus_index(consultation_id)
    languages = list(languages) if languages is not None else [DEFAULT_LANGUAGE] * len(texts)
    # One transform per language, not per text: an import of 5,000 rows is a few calls.
    positions: dict[str, list[int]] = {}
    for position, language in enumerate(languages):
        positions.setdefault(language, []).append(position)
    blocks = [index.corpus.transform([texts[position] for position in rows], language)
              for language, rows in positions.items()]
    order = np.argsort([position for rows in positions.values() for position in rows])
    documents = unit_rows(sparse.vstack(blocks, format="csr")[order])
    centres, counts = index.centres
    return best_labels(score_themes(documents, index.corpus, centres=centres, counts=counts, texts=list(texts)))


def suggest_labels_for_proposal(proposal: Proposal) -> LabelSuggestion:
    """Suggested action lines and SDGs of a proposal's text (its stored suggestion while it awaits classification)."""
    if proposal.is_to_classify and proposal.suggested_labels:
        return LabelSuggestion([(code, score) for code, score in proposal.suggested_labels.get("action_lines", [])],
                               [(int(number), score) for number, score in proposal.suggested_labels.get("sdgs", [])])
    return suggest_labels_for_texts(proposal.consultation_id, [proposal_text(proposal)], [proposal_language(proposal)])[0]


def to_classify_select(consultation_id: int) -> sa.Select:
    """Submitted proposals of the consultation awaiting the committee's labels, oldest first."""
    return (sa.select(Proposal)
            .where(Proposal.consultation_id == consultation_id, Proposal.status == ProposalStatus.SUBMITTED,
                   Proposal.is_to_classify.is_(True))
            .order_by(Proposal.number, Proposal.id))


def count_to_classify(consultation_id: int) -> int:
    """How many submitted proposals of the consultation await their labels (in the navigation of every page)."""
    # Over the conditions, not the select as a subquery: SQLite read every wide row for that (70 ms at 50,000).
    return db.session.execute(sa.select(sa.func.count(Proposal.id))
                              .where(to_classify_select(consultation_id).whereclause)).scalar_one()


# The committee classifies imported rows while it can still act on them: before the draft agenda is published.
CLASSIFY_PHASES = (PhaseKind.CALL_OPEN, PhaseKind.REVIEW, PhaseKind.AGENDA_DRAFTING)


def confirm_labels(proposal: Proposal, *, actor, action_lines: Sequence[str], sdgs: Sequence[int], now=None) -> Proposal:
    """Give a proposal to classify the action lines and SDGs the committee chose; it leaves the queue."""
    if not has_role(actor, Role.REVIEWER):
        raise NotAllowedError(_("Only the review committee classifies proposals."))
    ensure_phase_open(proposal.consultation, *CLASSIFY_PHASES, now=now)
    if not proposal.is_to_classify:
        raise DomainError(_("This proposal is classified already."))
    codes = list(dict.fromkeys(action_lines))
    if not codes:
        raise DomainError(_("Choose at least one action line."), field="action_lines")
    unknown = [code for code in codes if code not in reference.ACTION_LINES_BY_CODE]
    if unknown:
        raise DomainError(_("Unknown action line: %(codes)s.", codes=joined(unknown)), field="action_lines")
    numbers = list(dict.fromkeys(int(number) for number in sdgs))
    if any(number not in reference.SDGS for number in numbers):
        raise DomainError(_("SDGs are numbered 1 to 17."), field="sdgs")
    suggested = [code for code, _score in (proposal.suggested_labels or {}).get("action_lines", [])]
    proposal.action_lines = [tag for tag in proposal.action_lines if tag.code in codes] + [
        ProposalActionLine(code=code) for code in codes if code not in proposal.action_line_codes]
    proposal.sdgs = [tag for tag in proposal.sdgs if tag.sdg in numbers] + [
        ProposalSdg(sdg=number) for number in numbers if number not in proposal.sdg_numbers]
    proposal.is_to_classify = False
    db.session.flush()
    record_audit("proposal.classify", proposal, actor=actor, consultation_id=proposal.consultation_id,
                 summary=_("%(reference)s classified as %(codes)s", reference=proposal.reference, codes=", ".join(codes)),
                 details={"action_lines": codes, "sdgs": numbers, "suggested": suggested,
                          "as_suggested": bool(suggested) and codes[0] == suggested[0]})
    return proposal


def labels_json(suggestion) -> dict:
    """A label suggestion as the form's script and the preview read it: code and label of each, in the reader's
    language, best first. The model's scores stay inside: they mean nothing to the person writing."""
    lines = reference.ACTION_LINES_BY_CODE
    return {"action_lines": [{"code": code, "label": str(lines[code].label)} for code, _score in suggestion.action_lines],
            "sdgs": [{"number": number, "label": reference.sdg_label(number)} for number, _score in suggestion.sdgs]}
