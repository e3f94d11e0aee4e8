"""The chair schedules, fixes a conflict by hand and publishes; a stakeholder comments. axe-core on every page."""
from datetime import time

import pytest

from consult.accounts.models import Role
from consult.consultations.models import PhaseKind
from consult.extensions import db
from tests.agenda.factories import make_days, make_room, make_session
from tests.factories import PASSWORD, make_consultation, make_user

pytestmark = pytest.mark.e2e


def sign_in(page, user):
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_chair_schedules_moves_a_block_into_a_conflict_fixes_it_publishes_and_stakeholder_comments(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.PUBLIC_COMMENT)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    stakeholder = make_user(name="Grace Otieno")
    day = make_days(consultation, 1)[0]
    k2 = make_room(consultation, name="Room K2", capacity=120, has_interpretation=True)
    make_room(consultation, name="Room A", capacity=80, position=1)
    make_session(
        consultation, title="Alpha: broadband for all", people=("Kim Lee",), day=day, room=k2, start=time(9), pinned=True
    )
    make_session(consultation, title="Beta: digital skills", people=("Kim Lee",), action_lines=("C4",))
    make_session(consultation, title="Gamma: e-health", people=("Ravi Iyer",), action_lines=("C7-EHEALTH",))
    db.session.commit()

    sign_in(page, chair)
    page.goto("/agenda/schedule")
    assert page.get_by_test_id("unplaced").inner_text().count("a free slot exists") == 2
    assert_accessible(page)
    page.get_by_label("Time limit (seconds)").fill("2")
    page.get_by_role("button", name="Schedule unpinned sessions").click()
    assert "3 sessions placed, 0 unplaced, 0 moved" in page.locator(".flash").inner_text()
    assert page.get_by_test_id("no-conflicts").is_visible()
    assert page.locator(".grid-block").count() == 3
    assert_accessible(page)

    # On the grid, Beta's own form moves it next to Alpha at 09:30: Kim Lee would be in two places at once.
    beta = page.get_by_role("article", name="Beta: digital skills")
    beta.locator("summary").click()
    beta.get_by_label("Room").select_option(label="Room A (80)")
    beta.get_by_label("Start (local time)").fill("09:30")
    assert_accessible(page)
    beta.get_by_role("button", name="Move and pin").click()
    assert "Person in two sessions at once" in page.get_by_test_id("conflicts").inner_text()
    beta = page.get_by_role("article", name="Beta: digital skills")
    assert "has-conflict" in beta.get_attribute("class")
    assert ("Kim Lee would be in “Alpha: broadband for all” and “Beta: digital skills” at the same time."
            in beta.get_by_test_id("block-conflicts").inner_text())
    assert_accessible(page)

    # Fixed from the block itself: to the afternoon, and every conflict is gone.
    beta.locator("summary").click()
    beta.get_by_label("Start (local time)").fill("14:00")
    beta.get_by_role("button", name="Move and pin").click()
    assert page.get_by_test_id("no-conflicts").is_visible()
    assert page.locator("article.grid-block.has-conflict").count() == 0

    page.goto("/agenda/publish")
    assert_accessible(page)
    page.get_by_label("Note to readers").fill("First draft for comment.")
    page.get_by_role("button", name="Publish").click()
    assert page.locator("h1").inner_text() == "Agenda version 1"
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, stakeholder)
    page.get_by_role("link", name="Agenda", exact=True).click()
    assert "14:00–15:00 · Room A" in page.locator(".agenda-list").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Grid of rooms and times").click()
    assert page.locator(".grid-block").count() == 3
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Beta: digital skills").click()
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Please add a speaker from the Pacific.")
    page.get_by_role("button", name="Send comment").click()
    assert page.locator(".flash").inner_text() == "Your comment is published."
    assert "Please add a speaker from the Pacific." in page.locator("#comments").inner_text()
    assert_accessible(page)


def test_chair_drags_a_block_to_another_room(app, page):
    consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    day = make_days(consultation, 1)[0]
    k2 = make_room(consultation, name="Room K2", capacity=120)
    make_room(consultation, name="Room A", capacity=80, position=1)
    make_session(consultation, title="Alpha: broadband for all", people=("Kim Lee",), day=day, room=k2, start=time(10))
    db.session.commit()

    sign_in(page, chair)
    page.goto("/agenda/schedule")
    block = page.get_by_role("article", name="Alpha: broadband for all")
    block.scroll_into_view_if_needed()
    source, target = block.bounding_box(), page.locator(".grid-head", has_text="Room A").bounding_box()
    # Dropped in Room A's column at the block's own height: same time, another room.
    page.mouse.move(source["x"] + 20, source["y"] + 10)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, source["y"] + 10, steps=8)
    page.mouse.up()
    page.wait_for_load_state()

    assert "moved and pinned; the agenda has no conflict" in page.locator(".flash").inner_text()
    assert "· Room A" in page.get_by_role("article", name="Alpha: broadband for all").inner_text()


def test_committee_pages_pass_axe(app, page, assert_accessible):
    consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    day = make_days(consultation, 1)[0]
    room = make_room(consultation, name="Popov Room", capacity=300, has_interpretation=True)
    session = make_session(consultation, title="Opening segment", people=("Doreen Bogdan",), day=day, room=room,
                           start=time(9), pinned=True)
    db.session.commit()

    sign_in(page, chair)
    page.goto("/agenda/week")
    assert_accessible(page)
    page.get_by_label("Room name").fill("Room H")
    page.get_by_label("Capacity (seats)").fill("60")
    page.get_by_role("button", name="Save room").click()
    assert page.locator(".flash").inner_text() == "The room is added."
    for url in ("/agenda/sessions", f"/agenda/sessions/{session.id}", "/agenda/sessions/new", "/agenda/versions"):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/agenda/sessions/{session.id}")
    page.get_by_label("Name", exact=True).fill("Ana Lopez")
    page.get_by_role("button", name="Add person").click()
    assert page.locator(".flash").inner_text() == "Ana Lopez is added."
    assert_accessible(page)
