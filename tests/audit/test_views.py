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


def test_audit_log_shows_old_and_new_values(login, client, chair):
    record_audit("phase.update", chair, actor=chair, summary="Review",
                 changes={"closes_at": ["2026-03-01T12:00:00+00:00", "2026-03-08T12:00:00+00:00"], "name": ["Review", ""]})
    record_audit("user.change_role", chair, actor=chair, summary="older form", details={"from": "stakeholder", "to": "chair"})
    db.session.commit()
    login(chair)

    page = client.get("/audit/").get_data(as_text=True)

    assert ('<li><span class="field-name">closes_at</span>: <del>2026-03-01T12:00:00+00:00</del> → '
            '<ins>2026-03-08T12:00:00+00:00</ins></li>') in page
    assert '<li><span class="field-name">name</span>: <del>Review</del> → <ins>—</ins></li>' in page
    assert "<li><del>stakeholder</del> → <ins>chair</ins></li>" in page


def _at(entry, day):
    from datetime import datetime, timezone

    entry.created_at = datetime(2026, 5, day, 10, 0, tzinfo=timezone.utc)


def test_audit_log_filters_by_person_and_dates_kept_in_the_url(login, client, chair, make):
    other = make.make_user(name="Olga Petrova", email="olga@example.org")
    _at(record_audit("a.one", chair, actor=chair, summary="chair on the 3rd"), 3)
    _at(record_audit("a.two", chair, actor=other, summary="olga on the 4th"), 4)
    _at(record_audit("a.three", chair, actor=other, summary="olga on the 6th"), 6)
    db.session.commit()
    login(chair)

    by_person = client.get("/audit/", query_string={"person": "OLGA@"}).get_data(as_text=True)
    by_dates = client.get("/audit/", query_string={"date_from": "2026-05-03", "date_to": "2026-05-04"}).get_data(as_text=True)
    both = client.get("/audit/", query_string={"person": "petrova", "date_from": "2026-05-05"}).get_data(as_text=True)

    assert "olga on the 4th" in by_person and "olga on the 6th" in by_person and "chair on the 3rd" not in by_person
    assert "chair on the 3rd" in by_dates and "olga on the 4th" in by_dates and "olga on the 6th" not in by_dates
    assert "olga on the 6th" in both and "olga on the 4th" not in both
    assert 'href="/audit/export.csv?person=petrova&amp;date_from=2026-05-05"' in both


def test_audit_log_refuses_a_reversed_range_beside_the_field(login, client, chair):
    login(chair)

    response = client.get("/audit/", query_string={"date_from": "2026-05-09", "date_to": "2026-05-01"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<p class="error" id="date_to-error">The end of the range cannot be before its start.</p>' in page
    assert 'value="2026-05-09"' in page


def test_audit_log_is_paginated_with_its_filters(login, client, chair, app):
    app.config["PAGE_SIZE"] = 2
    for number in range(5):
        record_audit("paged.entry", chair, actor=chair, summary=f"entry {number}")
    db.session.commit()
    login(chair)

    first = client.get("/audit/", query_string={"action": "paged."}).get_data(as_text=True)
    third = client.get("/audit/", query_string={"action": "paged.", "page": "3"}).get_data(as_text=True)

    assert 'href="/audit/?action=paged.&amp;page=2"' in first and "Page 1 of 3" in first
    assert "entry 0" in third and "entry 1" not in third


def test_audit_export_is_the_filtered_log_with_formulas_neutralised(login, client, chair, make):
    other = make.make_user(name="=HYPERLINK(\"http://evil\")", email="evil@example.org")
    record_audit("proposal.decide", chair, actor=other, summary="-1+1",
                 changes={"decision": ["pending", "accepted"], "note": ["", "=cmd|' /C calc'!A0"]})
    record_audit("user.login", chair, actor=chair, summary="not exported")
    db.session.commit()
    login(chair)

    response = client.get("/audit/export.csv", query_string={"action": "proposal."})

    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert response.mimetype == "text/csv"
    assert lines[0] == "when_utc,actor_name,actor_email,action,object_type,object_id,summary,field,old_value,new_value"
    assert [line.split(",", 1)[1] for line in lines[1:]] == [
        f"\"'=HYPERLINK(\"\"http://evil\"\")\",evil@example.org,proposal.decide,User,{chair.id},'-1+1,decision,pending,accepted",
        f"\"'=HYPERLINK(\"\"http://evil\"\")\",evil@example.org,proposal.decide,User,{chair.id},'-1+1,note,,'=cmd|' /C calc'!A0",
    ]


def test_audit_export_is_for_the_chair_only(login, client, reviewer):
    login(reviewer)

    assert client.get("/audit/export.csv").status_code == 403
