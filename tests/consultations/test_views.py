"""The consultation pages: phases for everyone; settings, phase edits and deadline extensions for the chair."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from babel.dates import format_datetime

from consult.audit.models import AuditEntry
from consult.consultations.models import PhaseKind
from consult.consultations.times import format_day, format_local
from consult.extensions import db
from tests.factories import make_consultation

BESIDE = ("The form holds what you typed and the table shows the saved version beside it: check the differences, "
          "then send yours again to replace the saved version.")


def phase_form(phase, **overrides):
    data = {"name": phase.name, "description": phase.description,
            "opens_at": phase.opens_at.strftime("%Y-%m-%dT%H:%M"), "closes_at": phase.closes_at.strftime("%Y-%m-%dT%H:%M"),
            "version_id": str(phase.version_id)}
    data.update(overrides)
    return data


@pytest.mark.parametrize("url", ["/", "/consultation/", "/account/login", "/account/register"])
def test_every_page_shows_current_phase_and_next_deadline(client, consultation, url):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    local_close = call.closes_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Zurich"))

    page = client.get(url).get_data(as_text=True)

    assert '<strong data-testid="current-phase">Call for proposals open</strong>' in page
    assert (f'<strong data-testid="next-deadline">Call for proposals open — '
            f'{format_datetime(local_close, "d MMM y, HH:mm", locale="en_GB")} {local_close.tzname()}</strong>') in page


def test_error_pages_show_the_phase_too(client, consultation):
    page = client.get("/no-such-page").get_data(as_text=True)

    assert 'data-testid="current-phase">Call for proposals open<' in page


def test_overview_lists_phases_in_order_and_marks_current(client, consultation):
    page = client.get("/consultation/").get_data(as_text=True)

    positions = [page.index(f"<th scope=\"row\">{phase.label}") for phase in consultation.phases]
    assert positions == sorted(positions)
    assert '<th scope="row">Call for proposals open <span class="badge">now</span></th>' in page


def test_earlier_cycle_stays_readable(client, app):
    old = make_consultation(title="WSIS Forum 2017 consultation", year=2017, now=datetime(2017, 1, 10, tzinfo=timezone.utc))
    make_consultation(title="WSIS Forum consultation this year")
    db.session.commit()

    current = client.get("/consultation/").get_data(as_text=True)
    earlier = client.get(f"/consultation/{old.id}").get_data(as_text=True)

    assert "<h1>WSIS Forum consultation this year" in current
    assert f'<a href="/consultation/{old.id}">WSIS Forum 2017 consultation (2017)</a>' in current
    assert "<h1>WSIS Forum 2017 consultation <span class=\"muted\">2017</span></h1>" in earlier


def test_overview_without_consultation_is_404(client):
    assert client.get("/consultation/").status_code == 404


def test_chair_edits_phase_and_it_is_audited(login, client, chair, consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    old_close = review.closes_at
    new_close = (review.closes_at - timedelta(days=2)).replace(second=0, microsecond=0)
    login(chair)

    response = client.post(f"/consultation/phases/{review.id}",
                           data=phase_form(review, name="Committee review", closes_at=new_close.strftime("%Y-%m-%dT%H:%M")))

    assert response.status_code == 302
    db.session.refresh(review)
    assert (review.name, review.closes_at, review.version_id) == ("Committee review", new_close, 2)
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "phase.update")).scalar_one()
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.consultation_id, entry.summary) == (
        chair.id, "Phase", review.id, consultation.id, "Committee review")
    assert entry.details["changes"]["name"] == ["Review", "Committee review"]
    assert entry.details["changes"]["closes_at"] == [old_close.isoformat(), new_close.isoformat()]


def test_phase_closing_after_the_next_opens_is_refused_beside_the_field(login, client, chair, consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    drafting = consultation.phase(PhaseKind.AGENDA_DRAFTING)
    new_close = (review.closes_at + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    login(chair)

    response = client.post(f"/consultation/phases/{review.id}", data=phase_form(review, closes_at=new_close))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    opens = drafting.opens_at.strftime("%d %b %Y, %H:%M").lstrip("0")
    assert ('<p class="error" id="phase-closes_at-error">This would close after the phase “Agenda drafting” opens '
            f'({opens} UTC), so both would run at once. Shift the following phases by the same amount, or confirm the '
            'overlap.</p>') in page
    assert f'value="{new_close}"' in page
    db.session.refresh(review)
    assert review.version_id == 1


def test_phase_overlap_confirmed_explicitly_is_saved(login, client, chair, consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    drafting = consultation.phase(PhaseKind.AGENDA_DRAFTING)
    drafting_opens = drafting.opens_at
    new_close = (review.closes_at + timedelta(days=2)).replace(second=0, microsecond=0)
    login(chair)

    response = client.post(f"/consultation/phases/{review.id}", data=phase_form(
        review, closes_at=new_close.strftime("%Y-%m-%dT%H:%M"), allow_overlap="y"))

    assert response.status_code == 302
    db.session.refresh(review)
    db.session.refresh(drafting)
    assert (review.closes_at, drafting.opens_at) == (new_close, drafting_opens)


def test_phase_edit_shifts_the_following_phases_by_as_much_and_audits_each(login, client, chair, consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    later = [consultation.phase(kind) for kind in (PhaseKind.AGENDA_DRAFTING, PhaseKind.PUBLIC_COMMENT, PhaseKind.FINAL)]
    before = [(phase.opens_at, phase.closes_at) for phase in later]
    call = consultation.phase(PhaseKind.CALL_OPEN)
    call_times = (call.opens_at, call.closes_at)
    new_close = (review.closes_at + timedelta(days=3)).replace(second=0, microsecond=0)
    delta = new_close - review.closes_at
    login(chair)

    response = client.post(f"/consultation/phases/{review.id}", data=phase_form(
        review, closes_at=new_close.strftime("%Y-%m-%dT%H:%M"), shift_following="y"))

    assert response.status_code == 302
    for phase in later + [call]:
        db.session.refresh(phase)
    assert [(phase.opens_at, phase.closes_at) for phase in later] == [(o + delta, c + delta) for o, c in before]
    assert (call.opens_at, call.closes_at) == call_times
    shifts = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "phase.shift")
                                .order_by(AuditEntry.id)).scalars().all()
    assert [(entry.object_id, entry.actor_id, entry.details["with"]) for entry in shifts] == [
        (phase.id, chair.id, "Review") for phase in later]
    assert shifts[0].details["changes"]["opens_at"] == [before[0][0].isoformat(), (before[0][0] + delta).isoformat()]


def test_phase_edit_out_of_order_is_refused_at_field(login, client, chair, consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    drafting = consultation.phase(PhaseKind.AGENDA_DRAFTING)
    login(chair)

    response = client.post(f"/consultation/phases/{review.id}", data=phase_form(
        review, opens_at=(drafting.opens_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        closes_at=(drafting.closes_at + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")))

    assert response.status_code == 422
    assert (
        '<p class="error" id="phase-opens_at-error">This phase cannot open after the phase “Agenda drafting”.</p>'
        in response.get_data(as_text=True)
    )
    db.session.refresh(review)
    assert review.version_id == 1


def test_concurrent_phase_edit_gives_409_and_keeps_first_save(app, login, client, chair, consultation, make):
    second_chair = make.make_user(role=chair.role, name="Second Chair")
    db.session.commit()
    review = consultation.phase(PhaseKind.REVIEW)
    loaded = phase_form(review)
    other = login(second_chair, app.test_client())
    login(chair)
    first = client.post(f"/consultation/phases/{review.id}", data=dict(loaded, name="First chair's name"))

    second = other.post(f"/consultation/phases/{review.id}", data=dict(loaded, name="Second chair's name"))

    assert first.status_code == 302
    assert second.status_code == 409
    assert (f"Someone else saved this in the meantime. {BESIDE}" in second.get_data(as_text=True))
    assert '<h2 id="edit-conflict-heading">Saved meanwhile by someone else</h2>' in second.get_data(as_text=True)
    page = second.get_data(as_text=True)
    # Both versions: the saved one beside the field, the submitted one still in the form to send again.
    assert '<th scope="row">Name</th><td data-testid="saved-value">First chair&#39;s name</td>' in page
    assert '<td data-testid="submitted-value">Second chair&#39;s name</td>' in page
    assert 'value="Second chair&#39;s name"' in page
    assert '<input id="phase-version_id" name="version_id" type="hidden" value="2">' in page
    db.session.refresh(review)
    assert (review.name, review.version_id) == ("First chair's name", 2)


def test_extend_deadline_keeps_original_and_shows_it(login, client, chair, consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    original = call.closes_at
    new_close = (original + timedelta(days=7)).replace(second=0, microsecond=0)
    login(chair)

    response = client.post(f"/consultation/phases/{call.id}/extend",
                           data={"closes_at": new_close.strftime("%Y-%m-%dT%H:%M"), "version_id": str(call.version_id),
                                 "allow_overlap": "y"})

    assert response.status_code == 302
    db.session.refresh(call)
    assert (call.closes_at, call.original_closes_at, call.was_extended) == (new_close, original, True)
    home = client.get("/").get_data(as_text=True)
    assert "deadline extended from" in home
    assert "<em>(extended)</em>" in home
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "phase.extend_deadline")).scalar_one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (chair.id, "Phase", call.id)
    assert entry.details == {"changes": {"closes_at": [original.isoformat(), new_close.isoformat()]},
                             "shifted_following": False}


def test_extension_into_the_next_phase_warns_and_can_shift_the_following_phases(login, client, chair, consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    review = consultation.phase(PhaseKind.REVIEW)
    review_times = (review.opens_at, review.closes_at)
    new_close = (call.closes_at + timedelta(days=7)).replace(second=0, microsecond=0)
    delta = new_close - call.closes_at
    login(chair)
    data = {"closes_at": new_close.strftime("%Y-%m-%dT%H:%M"), "version_id": str(call.version_id)}

    warned = client.post(f"/consultation/phases/{call.id}/extend", data=data)
    shifted = client.post(f"/consultation/phases/{call.id}/extend", data=dict(data, shift_following="y"))

    assert warned.status_code == 422
    assert 'id="extend-closes_at-error">This would close after the phase “Review” opens' in warned.get_data(as_text=True)
    assert shifted.status_code == 302
    db.session.refresh(call)
    db.session.refresh(review)
    assert call.closes_at == new_close
    assert (review.opens_at, review.closes_at) == (review_times[0] + delta, review_times[1] + delta)
    assert [entry.object_id for entry in db.session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "phase.shift")).scalars()] == [
        phase.id for phase in consultation.phases if phase.position > call.position]


def test_extend_deadline_earlier_is_refused(login, client, chair, consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    original = call.closes_at
    login(chair)

    response = client.post(f"/consultation/phases/{call.id}/extend",
                           data={"closes_at": (original - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")})

    assert response.status_code == 422
    assert "The new deadline must be later than the current one." in response.get_data(as_text=True)
    db.session.refresh(call)
    assert call.closes_at == original


def test_extend_deadline_with_stale_version_is_refused(login, client, chair, consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    original = call.closes_at
    login(chair)

    response = client.post(f"/consultation/phases/{call.id}/extend",
                           data={"closes_at": (original + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "version_id": "7"})

    assert response.status_code == 409
    db.session.refresh(call)
    assert call.closes_at == original


def settings_form(consultation, **overrides):
    data = {"title": consultation.title, "theme": "ICTs for the SDGs", "year": str(consultation.year),
            "forum_start": consultation.forum_start.isoformat(), "forum_end": consultation.forum_end.isoformat(),
            "timezone": "Europe/Zurich", "reviewers_per_proposal": "2", "is_blind_review": "y",
            "review_visibility": "never", "version_id": str(consultation.version_id)}
    data.update(overrides)
    return data


def test_chair_saves_settings_and_it_is_audited(login, client, chair, consultation):
    consultation.is_blind_review = False
    db.session.commit()
    login(chair)

    response = client.post("/consultation/settings", data=settings_form(consultation))

    assert response.status_code == 302
    db.session.refresh(consultation)
    assert (consultation.theme, consultation.reviewers_per_proposal, consultation.is_blind_review,
            consultation.review_visibility.value) == ("ICTs for the SDGs", 2, True, "never")
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "consultation.update")).scalar_one()
    assert (entry.actor_id, entry.object_type, entry.object_id) == (chair.id, "Consultation", consultation.id)
    assert entry.summary == "is_blind_review, review_visibility, reviewers_per_proposal, theme"


def test_settings_concurrent_edit_gives_409(login, client, chair, consultation):
    login(chair)
    stale = settings_form(consultation)
    client.post("/consultation/settings", data=settings_form(consultation, theme="First"))

    response = client.post("/consultation/settings", data=dict(stale, theme="Second"))

    assert response.status_code == 409
    db.session.refresh(consultation)
    assert consultation.theme == "First"


def test_settings_forum_end_before_start_is_refused(login, client, chair, consultation):
    login(chair)

    response = client.post("/consultation/settings", data=settings_form(
        consultation, forum_end=(consultation.forum_start - timedelta(days=1)).isoformat()))

    assert response.status_code == 422
    assert '<p class="error" id="forum_end-error">The Forum cannot end before it starts.</p>' in response.get_data(as_text=True)


def test_chair_opens_new_cycle_with_five_phases(login, client, chair):
    login(chair)

    response = client.post("/consultation/new", data={"title": "WSIS Forum 2030", "year": "2030",
                                                      "forum_start": "2030-05-06", "forum_end": "2030-05-10",
                                                      "timezone": "Europe/Zurich", "reviewers_per_proposal": "3",
                                                      "review_visibility": "after_own"})

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>WSIS Forum 2030" in page
    assert page.count('<th scope="row">') == 5


def test_close_time_in_the_past_needs_a_confirmation_shown_with_the_warning(login, client, chair, consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    past = (datetime.now(timezone.utc) - timedelta(hours=2)).replace(second=0, microsecond=0)
    typed = past.strftime("%Y-%m-%dT%H:%M")
    login(chair)
    form_page = client.get(f"/consultation/phases/{call.id}").get_data(as_text=True)

    refused = client.post(f"/consultation/phases/{call.id}", data=phase_form(call, closes_at=typed, name="Call (typed)"))
    confirmed = client.post(f"/consultation/phases/{call.id}",
                            data=phase_form(call, closes_at=typed, confirm_early_close="y"))

    page = refused.get_data(as_text=True)
    assert 'name="confirm_early_close"' not in form_page
    assert refused.status_code == 422
    assert 'id="phase-confirm_early_close"' in page and "Save this earlier close time anyway" in page
    assert "is in the past: saving closes “Call for proposals open” at once" in page
    assert f'value="{typed}"' in page and 'value="Call (typed)"' in page
    assert confirmed.status_code == 302
    db.session.refresh(call)
    assert (call.closes_at, call.was_extended, call.was_brought_forward) == (past, False, True)


def test_deadline_brought_forward_while_open_needs_a_confirmation_and_reads_brought_forward(login, client, chair,
                                                                                             consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    announced = call.closes_at
    earlier = (announced - timedelta(days=3)).replace(second=0, microsecond=0)
    login(chair)

    refused = client.post(f"/consultation/phases/{call.id}", data=phase_form(call, closes_at=earlier.strftime("%Y-%m-%dT%H:%M")))
    client.post(f"/consultation/phases/{call.id}",
                data=phase_form(call, closes_at=earlier.strftime("%Y-%m-%dT%H:%M"), confirm_early_close="y"))
    overview = client.get("/consultation/").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)

    assert refused.status_code == 422
    assert "“Call for proposals open” is open and was announced to close on" in refused.get_data(as_text=True)
    db.session.refresh(call)
    assert call.closes_at == earlier
    assert '<span class="badge badge-warn">brought forward</span>' in overview
    assert ">extended<" not in overview and "deadline extended" not in home
    assert "<em>(brought forward)</em>" in home


def test_deadline_moved_later_reads_extended_and_needs_no_confirmation(login, client, chair, consultation):
    review = consultation.phase(PhaseKind.REVIEW)
    later = (review.closes_at + timedelta(hours=3)).replace(second=0, microsecond=0)
    login(chair)

    response = client.post(f"/consultation/phases/{review.id}",
                           data=phase_form(review, closes_at=later.strftime("%Y-%m-%dT%H:%M"), allow_overlap="y"))

    assert response.status_code == 302
    db.session.refresh(review)
    assert (review.was_extended, review.was_brought_forward) == (True, False)


def test_settings_forum_starting_before_the_call_opens_is_refused(login, client, chair, consultation):
    call = consultation.phase(PhaseKind.CALL_OPEN)
    early = (call.opens_at - timedelta(days=3)).date()
    login(chair)

    response = client.post("/consultation/settings", data=settings_form(
        consultation, forum_start=early.isoformat(), forum_end=(early + timedelta(days=4)).isoformat()))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<p class="error" id="forum_start-error">The Forum cannot start before the call for proposals opens ('
            f"{format_local(call.opens_at, consultation.timezone)}): proposals are called for the Forum, then reviewed "
            "and scheduled before it.</p>") in page
    assert f'value="{early.isoformat()}"' in page
    db.session.refresh(consultation)
    assert consultation.forum_start != early


def test_settings_moving_the_forum_away_from_the_agenda_days_warns_and_saves(login, client, chair, consultation):
    from tests.agenda.factories import make_days

    days = make_days(consultation, 2)
    db.session.commit()
    login(chair)
    later = consultation.forum_start + timedelta(days=7)

    response = client.post("/consultation/settings", data=settings_form(
        consultation, forum_start=later.isoformat(), forum_end=(later + timedelta(days=4)).isoformat()), follow_redirects=True)
    week = client.get("/agenda/week").get_data(as_text=True)

    page = response.get_data(as_text=True)
    listed = ", ".join(format_day(day.day, "long") for day in days)
    warning = (f"2 days of the agenda fall outside the Forum dates: {listed}. Their sessions stay on them until you "
               "move them; remove or change the days on the Forum week page.")
    assert response.status_code == 200
    assert warning in page and warning in week
    db.session.refresh(consultation)
    assert consultation.forum_start == later
