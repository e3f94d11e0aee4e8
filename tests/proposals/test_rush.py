"""The deadline rush: many submissions at once get distinct numbers, and a double click answers as one click."""
import io
import threading

import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals import services
from consult.proposals.models import ImportBatch, Proposal, ProposalRevision, ProposalStatus
from consult.proposals.services import create_proposal
from tests.concurrency import post_form, run_together
from tests.factories import make_proposal, make_user
from tests.proposals.conftest import form_data, thematic_content
from tests.proposals.test_importing import GOOD_ROW, HEADER

# Threads answer the requests, each on its own connection: the test's commits must be visible to them.
pytestmark = pytest.mark.committing
RUSH = 50


@pytest.fixture
def app(database_url, tmp_path):
    """The application with a connection for each of the RUSH threads (a gunicorn worker needs one at a time)."""
    from consult import create_app

    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": database_url,
                                        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "pool_size": RUSH + 5,
                                                                      "max_overflow": RUSH, "pool_timeout": 120}})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.create_all()
        _empty_tables()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _statuses(responses) -> list:
    return [getattr(response, "status_code", response) for response in responses]


@pytest.fixture
def slow_gate(monkeypatch):
    """Let each request that passes the phase gate wait up to a second for the other one to get there too.

    Without a lock both requests of a double click pass the gate before either writes (the race); with the lock
    the second waits for the first's commit, the barrier times out and the requests run one after the other.
    """
    both_inside = threading.Barrier(2)
    original = services.ensure_phase_open

    def gate_then_wait(*args, **kwargs):
        original(*args, **kwargs)
        try:
            both_inside.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(services, "ensure_phase_open", gate_then_wait)


def _draft_and_two_tabs(app, consultation, stakeholder, login):
    draft = create_proposal(consultation, submitter=stakeholder, content=thematic_content())
    db.session.commit()
    return draft, [login(stakeholder, app.test_client()) for _ in range(2)]


def test_fifty_simultaneous_submits_all_succeed_with_distinct_numbers(app, consultation, login):
    clients, ids = [], []
    for index in range(RUSH):
        user = make_user(name=f"Rush Person {index}")
        ids.append(create_proposal(consultation, submitter=user, content=thematic_content(title=f"Rush {index}")).id)
        clients.append(login(user, app.test_client()))
    db.session.commit()

    responses = run_together(*(lambda client=client, proposal_id=proposal_id: post_form(
        client, f"/proposals/{proposal_id}/submit", {}) for client, proposal_id in zip(clients, ids, strict=True)))

    db.session.expire_all()
    numbers = db.session.execute(sa.select(Proposal.number).where(Proposal.status == ProposalStatus.SUBMITTED)
                                 .order_by(Proposal.number)).scalars().all()
    assert _statuses(responses) == [303] * RUSH
    assert [response.headers["Location"] for response in responses] == [f"/proposals/{i}/submitted" for i in ids]
    assert numbers == list(range(1, RUSH + 1))


def test_numbers_continue_after_numbers_written_otherwise(app, consultation, stakeholder):
    make_proposal(consultation, stakeholder).number = 41
    draft = create_proposal(consultation, submitter=stakeholder, content=thematic_content())

    services.submit_proposal(draft, actor=stakeholder)

    assert draft.reference == "P-0042"


def test_double_click_on_submit_submits_once_and_answers_twice_the_same(app, consultation, stakeholder, login,
                                                                       slow_gate):
    draft, clients = _draft_and_two_tabs(app, consultation, stakeholder, login)
    url = f"/proposals/{draft.id}/submit"

    responses = run_together(*(lambda client=client: post_form(client, url, {}) for client in clients))

    db.session.expire_all()
    stored = db.session.get(Proposal, draft.id)
    mails = db.session.execute(sa.select(OutboxMessage.subject)).scalars().all()
    revisions = db.session.execute(sa.select(sa.func.count(ProposalRevision.id))).scalar_one()
    assert _statuses(responses) == [303, 303]
    assert {response.headers["Location"] for response in responses} == {f"/proposals/{draft.id}/submitted"}
    assert (stored.status, stored.reference, revisions) == (ProposalStatus.SUBMITTED, "P-0001", 1)
    assert mails == ["Proposal P-0001 received: Community networks for rural schools"]


def test_double_click_on_save_draft_saves_once_without_a_false_conflict(app, consultation, stakeholder, login,
                                                                       slow_gate):
    draft, clients = _draft_and_two_tabs(app, consultation, stakeholder, login)
    url = f"/proposals/{draft.id}/edit"
    fields = form_data(version_id="1", title="Community networks, revised")

    responses = run_together(*(lambda client=client: post_form(client, url, fields) for client in clients))

    db.session.expire_all()
    stored = db.session.get(Proposal, draft.id)
    assert _statuses(responses) == [303, 303]
    assert {response.headers["Location"] for response in responses} == {url}
    assert (stored.title, stored.version_id) == ("Community networks, revised", 2)


def test_two_different_saves_from_one_version_still_conflict(app, consultation, stakeholder, login):
    draft = create_proposal(consultation, submitter=stakeholder, content=thematic_content())
    db.session.commit()
    client = login(stakeholder, app.test_client())
    url = f"/proposals/{draft.id}/edit"
    first = post_form(client, url, form_data(version_id="1", title="First title"))
    second = post_form(client, url, form_data(version_id="1", title="Second title"))

    db.session.expire_all()
    assert (first.status_code, second.status_code) == (303, 409)
    assert db.session.get(Proposal, draft.id).title == "First title"


def test_double_click_on_new_draft_makes_one_draft(app, consultation, stakeholder, login, slow_gate):
    clients = [login(stakeholder, app.test_client()) for _ in range(2)]

    responses = run_together(*(lambda client=client: post_form(client, "/proposals/new", form_data(creation_token="one-form"))
                               for client in clients))

    titles = db.session.execute(sa.select(Proposal.title)).scalars().all()
    assert _statuses(responses) == [303, 303]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert titles == ["Community networks for rural schools"]


def test_double_click_on_import_imports_the_file_once(app, consultation, chair, login):
    clients = [login(chair, app.test_client()) for _ in range(2)]
    with app.app_context():
        preview = clients[0].post("/proposals/import", content_type="multipart/form-data", data={
            "file": (io.BytesIO((HEADER + GOOD_ROW).encode()), "event.csv"), "source": "Regional event"})
    token = preview.get_data(as_text=True).split('name="token" type="hidden" value="')[1].split('"')[0]

    responses = run_together(*(lambda client=client: post_form(
        client, "/proposals/import/confirm", {"token": token, "source": "Regional event"}) for client in clients))

    batches = db.session.execute(sa.select(sa.func.count(ImportBatch.id))).scalar_one()
    proposals = db.session.execute(sa.select(sa.func.count(Proposal.id))).scalar_one()
    assert _statuses(responses) == [303, 303]
    assert (batches, proposals) == (1, 1)
