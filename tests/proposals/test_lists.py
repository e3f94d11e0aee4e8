"""List pages cost the same number of queries with 3 and 30 proposals; user text stays inert everywhere."""
import re

import pytest

from consult.extensions import db
from consult.proposals.models import ProposalKind, ProposalStatus
from tests.factories import make_proposal

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _seed(consultation, user, count):
    for index in range(count):
        make_proposal(consultation, user, kind=ProposalKind.FORMAT if index % 2 else ProposalKind.THEMATIC,
                      action_lines=("C4", "C7-EHEALTH"), sdgs=(3, 4), speakers=2,
                      status=ProposalStatus.WITHDRAWN if index % 5 == 4 else ProposalStatus.SUBMITTED)
    db.session.commit()


def _queries(client, count_queries, url):
    client.get(url)  # warm-up: the consultation and the user are loaded once per request anyway
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize("url", ["/proposals/", "/proposals/?q=proposal&action_line=C7&sdg=4", "/proposals/chair",
                                 "/proposals/chair?region=africa&kind=format", "/proposals/mine"])
def test_list_query_count_does_not_grow_with_rows(client, login, consultation, chair, stakeholder, count_queries, url):
    consultation.submissions_published = True
    user = chair if "chair" in url else stakeholder
    _seed(consultation, stakeholder, 3)
    login(user)
    small = _queries(client, count_queries, url)

    _seed(consultation, stakeholder, 27)
    large = _queries(client, count_queries, url)

    assert small == large


@pytest.fixture
def hostile_proposal(consultation, make):
    user = make.make_user(name=PAYLOAD[:100], organization=PAYLOAD)
    consultation.submissions_published = True
    proposal = make_proposal(consultation, user, kind=ProposalKind.FORMAT, title=PAYLOAD, summary=PAYLOAD,
                             description=PAYLOAD + "\n\n[link](javascript:alert(1))", keywords=PAYLOAD, speakers=1)
    proposal.speakers[0].name = PAYLOAD[:120]
    proposal.speakers[0].organization = PAYLOAD
    proposal.source = PAYLOAD
    proposal.submitter_name = PAYLOAD[:120]
    db.session.commit()
    return proposal


def test_script_injection_in_every_text_field_stays_inert(client, login, hostile_proposal, chair):
    owner = hostile_proposal.submitter
    pages = {}
    for user, urls in ((None, ["/proposals/", f"/proposals/{hostile_proposal.id}"]),
                       (owner, ["/proposals/mine", f"/proposals/{hostile_proposal.id}/preview",
                                f"/proposals/{hostile_proposal.id}/edit"]),
                       (chair, ["/proposals/chair", f"/proposals/chair/{hostile_proposal.id}"])):
        if user is not None:
            from flask import g
            g.pop("_login_user", None)
            login(user)
        for url in urls:
            pages[url] = client.get(url).get_data(as_text=True)

    for url, page in pages.items():
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", ""), url
        assert 'href="javascript:' not in page, url
        assert "&lt;script&gt;alert" in page, url


def test_counts_of_a_tag_filter_count_every_tag_of_the_filtered_proposals(consultation, stakeholder):
    from consult.proposals.queries import ProposalFilters, count_proposals

    make_proposal(consultation, stakeholder, action_lines=("C4", "C7-EHEALTH"), sdgs=(3, 4))
    make_proposal(consultation, stakeholder, action_lines=("C4",), sdgs=(4,))
    make_proposal(consultation, stakeholder, action_lines=("C1",), sdgs=(5,))
    db.session.commit()

    counts = count_proposals(consultation.id, ProposalFilters(action_line="C4", sdg="4"))

    lines = {label: count for label, count in counts.by_action_line if count}
    sdgs = {label.split(" ")[0]: count for label, count in counts.by_sdg if count}
    assert counts.total == 2
    assert sorted(lines.values()) == [1, 2]  # C4 on both, the e-health line on one
    assert sdgs == {"3": 1, "4": 2}


def test_chair_list_takes_its_total_from_the_counts(app, client, login, consultation, chair, stakeholder, count_queries):
    app.config["PAGE_SIZE"] = 2
    _seed(consultation, stakeholder, 7)  # 3 formats (one withdrawn) and 4 thematic: the chair sees every one
    login(chair)
    client.get("/proposals/chair")

    with count_queries() as counter:
        page = client.get("/proposals/chair?kind=format").get_data(as_text=True)

    # Bound parameters as one mark on either engine ("?" on SQLite, "%(name)s::VARCHAR" on PostgreSQL).
    counting = [re.sub(r"%\(\w+\)s(::\w+)?", "?", statement.split("FROM")[0].strip()) for statement in counter.statements
                if "count(" in statement]
    assert "Page 1 of 2 · 3 in all" in page
    # The counts' two queries, the navigation's proposals to classify and merge requests: no count of the list itself.
    assert counting == ["SELECT proposals.kind, proposals.stakeholder_type, proposals.region, proposals.language, "
                        "count(*) AS count_1",
                        "SELECT ? AS dimension, proposal_action_lines_1.code AS value, count(*) AS count",
                        "SELECT count(proposals.id) AS count_1", "SELECT count(merge_consents.id) AS count_1"]
