"""Audit entries written by the foundation's services, and the chair's audit log page."""
import sqlalchemy as sa

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.audit.services import record_audit
from consult.extensions import db


def entries(action):
    return db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_registration_is_audited_with_the_new_user_as_actor(client):
    client.post("/account/register", data={
        "name": "Nadia Haddad", "email": "nadia@example.org", "password": "a long enough pass",
        "confirm_password": "a long enough pass", "organization": "Arab ICT Org", "stakeholder_type": "civil_society",
        "country": "JO"})

    [entry] = entries("user.register")
    assert (entry.actor.email, entry.object_type, entry.object_id, entry.summary) == (
        "nadia@example.org", "User", entry.actor_id, "Nadia Haddad <nadia@example.org> as stakeholder")


def test_role_change_is_audited_with_chair_as_actor(login, client, chair, stakeholder):
    login(chair)

    client.post(f"/account/users/{stakeholder.id}/role", data={"role": "reviewer"})

    [entry] = entries("user.change_role")
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.summary, entry.details) == (
        chair.id, "User", stakeholder.id, "stakeholder -> reviewer", {"from": "stakeholder", "to": "reviewer"})


def test_refused_role_change_writes_no_entry(login, client, chair):
    login(chair)

    client.post(f"/account/users/{chair.id}/role", data={"role": "stakeholder"})

    assert entries("user.change_role") == []


def test_audit_log_lists_newest_first_and_filters(login, client, chair, consultation):
    record_audit("proposal.submit", chair, actor=chair, summary="first thing")
    record_audit("proposal.withdraw", chair, actor=chair, summary="second thing")
    record_audit("user.change_role", chair, actor=None, summary="third thing")
    db.session.commit()
    login(chair)

    everything = client.get("/audit/").get_data(as_text=True)
    proposals = client.get("/audit/", query_string={"action": "proposal."}).get_data(as_text=True)

    assert everything.index("third thing") < everything.index("second thing") < everything.index("first thing")
    assert "<td>system</td>" in everything
    assert "second thing" in proposals and "first thing" in proposals and "third thing" not in proposals


def test_audit_log_filter_is_a_prefix_not_a_pattern(login, client, chair):
    record_audit("user_x", chair, actor=chair, summary="underscore action")
    record_audit("userAx", chair, actor=chair, summary="letter action")
    db.session.commit()
    login(chair)

    page = client.get("/audit/", query_string={"action": "user_"}).get_data(as_text=True)

    assert "underscore action" in page and "letter action" not in page


def test_audit_log_query_count_does_not_grow_with_rows(login, client, chair, make, count_queries):
    login(chair)
    for number in range(3):
        record_audit("test.small", chair, actor=make.make_user(), summary=f"small {number}")
    db.session.commit()
    client.get("/audit/")
    with count_queries() as few:
        client.get("/audit/")
    for number in range(30):
        record_audit("test.large", chair, actor=make.make_user(), summary=f"large {number}")
    db.session.commit()
    client.get("/audit/")
    with count_queries() as many:
        client.get("/audit/")

    assert few.count == many.count


def test_outbox_lists_messages_for_chair(login, client, chair):
    from consult.outbox.services import queue_email

    message = queue_email("grace@example.org", "Your proposal was received", "Thank you.", category="proposal")
    db.session.commit()
    login(chair)

    listing = client.get("/outbox/").get_data(as_text=True)
    detail = client.get(f"/outbox/{message.id}").get_data(as_text=True)

    assert f'<a href="/outbox/{message.id}">Your proposal was received</a>' in listing
    assert "Thank you." in detail


def test_chair_role_required_for_audit_log(login, client, reviewer):
    login(reviewer)

    assert client.get("/audit/").status_code == 403
    assert reviewer.role is Role.REVIEWER
