"""At phone width (390 px) no page of any role scrolls sideways (the demo's every GET page, in Chromium), and table
headings keep their words whole however narrow their column."""
import pytest

from consult.demo import DEMO_PASSWORD, seed_demo
from consult.extensions import db, limiter
from tests.demo_pages import ROLES, demo_user, page_urls

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


def _sign_in(page, role: str) -> None:
    if ROLES[role] is None:
        return
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(ROLES[role])
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/account/login" not in url)


@pytest.mark.parametrize("phase", ["call_open", "public_comment"])
def test_no_page_is_wider_than_a_phone(app, browser, live_server, phase):
    seed_demo(phase)
    db.session.commit()
    limiter.enabled = False
    too_wide = {}
    visited = 0
    try:
        for role in ROLES:
            context = browser.new_context(base_url=live_server, viewport=PHONE, locale="en-GB")
            page = context.new_page()
            _sign_in(page, role)
            for url in page_urls(app, demo_user(role)):
                response = page.goto(url)
                if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                    continue
                visited += 1
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > 391)
                        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                             + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''))
                        .slice(0, 4)""")
                    too_wide[f"{role} {url}"] = (width, widest)
            context.close()
    finally:
        limiter.enabled = True
    assert visited > 80
    assert too_wide == {}, "\n".join(f"{where}: {width} px, {widest}" for where, (width, widest) in too_wide.items())


def test_table_headings_keep_their_words_whole_in_narrow_columns(browser, live_server):
    # Eight columns in 640 px: long cell text squeezes the others, as on the reviewer's queue.
    context = browser.new_context(base_url=live_server, viewport={"width": 640, "height": 600})
    page = context.new_page()
    page.goto("/")
    cells = "".join(f"<td>{'word ' * 30}</td>" for _ in range(7))
    page.set_content(f'<html lang="en"><head><link rel="stylesheet" href="{live_server}/static/css/consult.css">'
                     f'</head><body><table class="table"><thead><tr><th id="first">Reference</th>'
                     f'{"<th>Title</th>" * 7}</tr></thead><tbody><tr><td>P-0001</td>{cells}</tr></tbody></table>'
                     f'<table><tr><th id="arabic" lang="ar">المتوسط</th>{"<td>" + "كلمة " * 40 + "</td>" * 7}</tr>'
                     '</table></body></html>')
    page.wait_for_load_state("load")

    lines = page.evaluate("""ids => ids.map(id => {
        const cell = document.getElementById(id), range = document.createRange();
        range.selectNodeContents(cell);
        return range.getClientRects().length;
    })""", ["first", "arabic"])
    context.close()

    assert lines == [1, 1]
