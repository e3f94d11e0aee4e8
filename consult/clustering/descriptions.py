"""What a group of proposals shares, in words, recomputed from its members whenever they change.

A cluster's reasons are derived data (house rule 6): the workspace recomputes them after every change of
members (accept, move, split, merge, remove), so the cluster page and the outcomes report never print the
reasons of a grouping that no longer exists.
"""
from collections.abc import Sequence

from consult.proposals.similarity import build_feature_matrix
from consult.textmodel.naming import GroupDescription, MemberLabels, describe_group


def member_labels(proposal) -> MemberLabels:
    """A proposal's confirmed labels and, while it awaits classification, the action lines suggested for it."""
    suggested = [code for code, _score in (proposal.suggested_labels or {}).get("action_lines", [])]
    return MemberLabels(proposal.action_line_codes, proposal.sdg_numbers, suggested if proposal.is_to_classify else [])


def describe_proposals(proposals: Sequence) -> GroupDescription:
    """Title, reasons and one reason per member (by proposal id) of these proposals taken as one group."""
    proposals = list(proposals)
    if not proposals:
        return GroupDescription("", [])
    if len(proposals) == 1:
        return GroupDescription(proposals[0].title, [], {})
    features = build_feature_matrix(proposals)
    described = describe_group(list(range(len(proposals))), text_matrix=features.text_matrix, terms=features.terms,
                               readable=features.readable, members=[member_labels(p) for p in proposals],
                               wording=features.wording)
    described.member_reasons = {proposals[row].id: reason for row, reason in described.member_reasons.items()}
    return described


def reasons_text(proposals: Sequence) -> str:
    """The reasons of these proposals as a group, one per line, as Cluster.reasons stores them."""
    return "\n".join(describe_proposals(proposals).reasons)
