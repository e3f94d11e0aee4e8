"""Helpers for concurrency tests that every area reuses.

- `load_form(client, url)`: what a browser would send back from the first POST form of a page (hidden version
  fields included), so a test can load two forms, save both, and expect the second to get 409.
- `pass_deadline(consultation, kind)`: the phase of this kind closes one second ago (the next phase opens then),
  committed, as if the deadline passed between loading a form and saving it.
- `run_together(*calls)`: run callables in threads released at the same moment; returns their results in order.
"""
import threading
from datetime import timedelta
from html.parser import HTMLParser

from consult.consultations.models import Consultation, PhaseKind
from consult.db import utcnow
from consult.extensions import db


class _FirstPostForm(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.wanted_action, self.fields, self._inside, self._done = action, {}, False, False
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self._done and (attributes.get("method") or "").lower() == "post" \
                and (self.wanted_action is None or attributes.get("action") == self.wanted_action):
            self._inside = True
        elif not self._inside:
            return
        elif tag == "input" and attributes.get("name") and attributes.get("type") not in {"submit", "checkbox"}:
            self.fields[attributes["name"]] = attributes.get("value") or ""
        elif tag == "input" and attributes.get("type") == "checkbox" and "checked" in attributes:
            self.fields[attributes["name"]] = attributes.get("value") or "y"
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select and ("selected" in attributes or self._select not in self.fields):
            self.fields[self._select] = attributes.get("value", "")
        elif tag == "textarea":
            self._textarea = attributes.get("name")
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._inside and self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._inside:
            self._inside, self._done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that starts a textarea's content; html.parser keeps it.
            value = self.fields[self._textarea]
            self.fields[self._textarea] = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea = None


def load_form(client, url: str, action: str | None = None) -> dict[str, str]:
    """The fields the first POST form on the page at url (or the one posting to action) would send back."""
    with client.application.app_context():
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _FirstPostForm(action)
    parser.feed(response.get_data(as_text=True))
    if parser.fields.get("") is not None:
        del parser.fields[""]
    return parser.fields


def post_form(client, url: str, fields: dict[str, str]):
    """POST fields to url in a request of its own (own app context, as in production)."""
    with client.application.app_context():
        return client.post(url, data=fields)


def pass_deadline(consultation: Consultation, kind: PhaseKind, *, ago: timedelta = timedelta(seconds=1)) -> None:
    """Close the phase of this kind `ago` before now (the next phase opening then), and commit."""
    phases = consultation.phases
    phase = consultation.phase(kind)
    closes_at = utcnow() - ago
    if phase.opens_at >= closes_at:
        phase.opens_at = closes_at - timedelta(days=1)
    phase.closes_at = closes_at
    following = next((other for other in phases if other.position == phase.position + 1), None)
    if following is not None and following.opens_at > closes_at:
        following.opens_at = closes_at
    db.session.commit()


def run_together(*calls):
    """Run every call in its own thread, all released at once; return results (or raised exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as error:  # handed back to the test to assert on
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
