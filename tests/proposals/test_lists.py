"""List pages cost the same number of queries with 3 and 30 proposals; user text stays inert everywhere."""
import re

import pytest

from consult.extensions import db
from consult.pagecache import page_store
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
    from consult.proposals.listing import count_proposals
    from consult.proposals.queries import ProposalFilters

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


def test_filtered_chair_list_evaluates_its_filter_once_for_counts_total_and_page(app, client, login, consultation, chair,
                                                                                stakeholder, count_queries):
    app.config["PAGE_SIZE"] = 2
    _seed(consultation, stakeholder, 7)  # 3 formats (one withdrawn) and 4 thematic: the chair sees every one
    login(chair)
    client.get("/proposals/chair")

    with count_queries() as counter:
        page = client.get("/proposals/chair?kind=format&q=proposal").get_data(as_text=True)

    searching = [statement for statement in counter.statements if "proposals.kind =" in statement]
    counting = [re.sub(r"%\(\w+\)s(::\w+)?", "?", statement.split("FROM")[0].strip()) for statement in counter.statements
                if "count(" in statement]
    assert "Page 1 of 2 · 3 in all" in page
    assert re.search(r"Format\s*</th>\s*<td[^>]*>\s*3\b", page), "the counts table shows the 3 formats"
    assert len(searching) == 1  # counts, total and the page's ids all come from one evaluation of the filter
    # The tags are counted by the matching ids; then the navigation's proposals to classify and merge requests.
    assert counting == ["SELECT proposal_action_lines.code, count(*) AS count_1", "SELECT proposal_sdgs.sdg, count(*) AS count_1",
                        "SELECT count(proposals.id) AS count_1", "SELECT count(merge_consents.id) AS count_1"]


def _visible_counts(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', page)


def test_a_list_filtered_to_many_is_counted_by_the_database_with_the_same_page(app, client, login, consultation, chair,
                                                                                stakeholder, count_queries):
    app.config["PAGE_SIZE"] = 2
    _seed(consultation, stakeholder, 7)
    login(chair)
    url = "/proposals/chair?kind=format&action_line=C4"
    counted_here = client.get(url).get_data(as_text=True)
    app.config["LIST_COUNTED_IN_APP"] = 2  # 3 formats match: more than the app counts itself
    page_store().clear()  # the reading above is kept until the next commit

    with count_queries() as counter:
        by_database = client.get(url).get_data(as_text=True)

    assert "Page 1 of 2 · 3 in all" in counted_here and "Page 1 of 2 · 3 in all" in by_database
    assert _visible_counts(by_database) == _visible_counts(counted_here)
    assert len([statement for statement in counter.statements if "GROUP BY proposals.kind" in statement]) == 1
    assert ("Format", "3") in _visible_counts(by_database) and ("C7 E-health", "3") in _visible_counts(by_database)
    assert re.findall(r'href="/proposals/chair/(\d+)"', by_database) == re.findall(r'href="/proposals/chair/(\d+)"',
                                                                                 counted_here)


def test_unfiltered_chair_list_counts_from_the_tallies(app, client, login, consultation, chair, stakeholder,
                                                       count_queries):
    app.config["PAGE_SIZE"] = 2
    _seed(consultation, stakeholder, 7)
    login(chair)
    client.get("/proposals/chair")

    with count_queries() as counter:
        page = client.get("/proposals/chair").get_data(as_text=True)

    assert "Page 1 of 4 · 7 in all" in page
    grouped = [statement for statement in counter.statements if "GROUP BY" in statement]
    assert len(grouped) == 1 and "FROM proposal_tallies" in grouped[0]


def test_public_list_filtered_by_language_pages_and_counts_alike_both_ways(app, client, consultation, stakeholder,
                                                                           count_queries):
    consultation.submissions_published = True
    for index, language in enumerate(("fr", "fr", "es", "fr", "en")):
        make_proposal(consultation, stakeholder, kind=ProposalKind.FORMAT if index < 4 else ProposalKind.THEMATIC,
                      language=language, title=f"Atelier {index}")
    db.session.commit()
    url = "/proposals/?kind=format&language=fr"
    counted_here = client.get(url).get_data(as_text=True)
    app.config["LIST_COUNTED_IN_APP"] = 2
    page_store().clear()

    by_database = client.get(url).get_data(as_text=True)

    for page in (counted_here, by_database):
        assert re.findall(r">(Atelier \d)<", page) == ["Atelier 0", "Atelier 1", "Atelier 3"]
        assert re.findall(r'<option[^>]*value="(fr|es|en)"[^>]*>([^<]+)</option>', page)[:3] == [
            ("fr", "French (3)"), ("es", "Spanish (1)"), ("en", "English (0)")]
