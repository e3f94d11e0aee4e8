"""In Arabic, right to left: a new stakeholder registers, confirms the address, files a proposal, reads the agenda.

Every page passes axe-core and scrolls no wider than the window at desktop and phone width; the layout mirrors
(navigation, form labels, tables, the agenda grid, the phase bar) and codes such as C7-EHEALTH read left to right.
"""
import re
from datetime import time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.support import Translations

import consult
from consult.accounts.models import Role
from consult.agenda.services import publish_agenda
from consult.consultations.models import PhaseKind
from consult.extensions import db
from consult.outbox.models import OutboxMessage
from consult.proposals.models import Proposal
from tests.agenda.factories import make_days, make_room, make_session
from tests.factories import make_consultation, make_user

pytestmark = pytest.mark.e2e

ARABIC = Translations.load(str(Path(consult.__file__).parent / "translations"), ["ar"])
# make_consultation gives each phase 20 days: two phases later, drafting's calendar has the call open now.
PHASE_SHIFT = timedelta(days=40)
# Where the code's letters and the following word's first letter are drawn, from the text's own glyph boxes.
CODE_PLACEMENT = """(element, code) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(code);
    if (at < 0) { continue; }
    const rect = (start) => { const range = document.createRange(); range.setStart(node, start);
                              range.setEnd(node, start + 1); return range.getBoundingClientRect(); };
    const first = rect(at), second = rect(at + 1), name = rect(at + code.length + 1);
    return {code_reads_left_to_right: first.left < second.left, code_right_of_its_name: name.right <= first.left};
  }
  return null;
}"""
WIDTHS = ({"width": 1280, "height": 900}, {"width": 375, "height": 800})


def ar(text: str) -> str:
    """The Arabic of an interface string, from the catalog the app serves."""
    translated = ARABIC.gettext(text)
    assert translated != text, f"no Arabic for {text!r}"
    return translated


def box(locator) -> dict:
    return locator.bounding_box()


def submit(page, button) -> None:
    """Click a form's button and wait for the page it answers with (checking the old page mid-way would fail)."""
    with page.expect_navigation():
        button.click()


def check_page(page, assert_accessible):
    """Arabic, right to left, accessible, and no wider than the window at desktop and phone width."""
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    for size in WIDTHS:
        page.set_viewport_size(size)
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{page.url} scrolls sideways at {size['width']} px: {scroll} > {client}"
    page.set_viewport_size(WIDTHS[0])
    assert_accessible(page)


def test_arabic_stakeholder_registers_files_a_proposal_and_reads_the_agenda(app, browser, live_server, assert_accessible):
    # The agenda is published during drafting; then the calendar moves so that the call is open again (as when
    # a consultation's draft agenda is shown while a second call runs).
    consultation = make_consultation(current=PhaseKind.AGENDA_DRAFTING)
    consultation.submissions_published = True
    chair = make_user(role=Role.CHAIR, name="Amina Diallo")
    day = make_days(consultation, 1)[0]
    hall = make_room(consultation, name="Room K2", capacity=120)
    side = make_room(consultation, name="Room A", capacity=80, position=1)
    make_session(consultation, title="Telemedicine for rural clinics", day=day, room=hall, start=time(9), pinned=True,
                 action_lines=("C7-EHEALTH",))
    make_session(consultation, title="Digital skills for teachers", day=day, room=side, start=time(9), pinned=True,
                 action_lines=("C4",))
    db.session.flush()
    publish_agenda(consultation, actor=chair)
    for phase in consultation.phases:
        phase.opens_at, phase.closes_at = phase.opens_at + PHASE_SHIFT, phase.closes_at + PHASE_SHIFT
        phase.original_closes_at = phase.closes_at
    db.session.commit()
    context = browser.new_context(base_url=live_server, locale="ar", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto("/")
        check_page(page, assert_accessible)
        # The navigation runs from the right: its first link stands right of its last.
        links = page.locator("header nav a")
        assert box(links.first)["x"] > box(links.last)["x"]
        # The phase bar mirrors too: "current phase" at the right, the deadline to its left.
        assert box(page.locator(".phase-now"))["x"] > box(page.locator(".phase-deadline"))["x"]

        page.goto("/account/register")
        check_page(page, assert_accessible)
        name = page.get_by_label(ar("Full name"))
        # A label starts where its field starts: at the right edge.
        label = page.locator("label[for=name]")
        assert abs((box(label)["x"] + box(label)["width"]) - (box(name)["x"] + box(name)["width"])) <= 2
        name.fill("ليلى الحسيني")
        page.get_by_label(ar("E-mail address")).fill("layla@example.org")
        page.get_by_label(ar("Password"), exact=True).fill("a long enough pass")
        page.get_by_label(ar("Repeat the password")).fill("a long enough pass")
        page.get_by_label(ar("Organization")).fill("جمعية الإنترنت العربية")
        page.get_by_label(ar("Stakeholder type")).select_option("civil_society")
        page.get_by_label(ar("Country")).select_option("JO")
        submit(page, page.get_by_role("button", name=ar("Create account")))
        check_page(page, assert_accessible)
        db.session.expire_all()
        message = db.session.execute(sa.select(OutboxMessage).where(OutboxMessage.recipient == "layla@example.org")
                                     .order_by(OutboxMessage.id)).scalars().first()
        # The e-mail goes out in the language she registered in.
        assert re.search("[\u0600-\u06ff]", message.subject), message.subject
        page.goto(re.search(r"https?://[^/\s]+(/\S*verify\S*)", message.body).group(1))
        check_page(page, assert_accessible)

        page.goto("/proposals/new")
        check_page(page, assert_accessible)
        page.get_by_label(ar("Title"), exact=True).fill("المحتوى العربي على الإنترنت للشباب")
        page.get_by_label(ar("Summary")).fill("مزيد من المحتوى العربي للقراء الشباب في المدارس.")
        page.get_by_label(ar("Description")).fill("نعرض تجارب عملية من ثلاثة بلدان.")
        health = page.locator("input[name=action_lines][value=C7-EHEALTH]")
        health.check()
        submit(page, page.get_by_role("button", name=ar("Save and preview")))
        check_page(page, assert_accessible)
        submit(page, page.get_by_role("button", name=ar("Submit the proposal")))
        check_page(page, assert_accessible)
        db.session.expire_all()
        proposal = db.session.execute(sa.select(Proposal).where(Proposal.title.like("المحتوى%"))).scalar_one()
        assert proposal.status.value == "submitted"
        # The reference reads left to right inside the Arabic sentence.
        lead = page.locator(".lead")
        assert proposal.reference in lead.inner_text()
        reference_box = lead.locator("bdi, [dir=ltr]").filter(has_text=proposal.reference)
        assert reference_box.count() == 1
        assert reference_box.evaluate("element => getComputedStyle(element).direction") == "ltr"

        page.goto("/agenda/grid")
        check_page(page, assert_accessible)
        heads = page.locator(".grid-head[data-room-id], .grid-head")
        room_k2 = page.locator(".grid-head", has_text="Room K2")
        room_a = page.locator(".grid-head", has_text="Room A")
        # The first room stands at the right, the next to its left.
        assert heads.count() >= 2 and box(room_k2)["x"] > box(room_a)["x"]

        page.goto("/agenda/")
        check_page(page, assert_accessible)
        # The session's action line (C7-EHEALTH) prints as "C7 <its name in Arabic>": its code reads left to right
        # ("C" left of "7") and, starting the label, stands at the label's right, where Arabic reading begins.
        meta = page.locator(".agenda-meta").filter(has_text="C7").first
        placement = meta.evaluate(CODE_PLACEMENT, "C7")
        assert placement == {"code_reads_left_to_right": True, "code_right_of_its_name": True}
    finally:
        context.close()
