"""Hostile input on every route: generated form fields and query parameters never cause a 5xx.

The routes come from `app.url_map` and the form fields from the HTML forms the pages show (parsed with the
standard library), so routes and forms that areas add are fuzzed without any change here. Each endpoint and
method gets `examples_per_endpoint()` inputs (200 in CI, derandomized; 25 locally), as anonymous and as the chair.
The data behind the pages comes from `fill_every_table()`, so every table has a row an id can point at.
"""
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consult import create_app
from consult.extensions import db, limiter
from tests.every_table import fill_every_table
from tests.hypothesis_profiles import active_profile, examples_per_endpoint

SKIPPED_ENDPOINTS = {"static"}
# POSTs that are valid without any field: an empty body is a complete, legitimate request (a button whose form
# carries only the CSRF token, or only an unticked checkbox), so an empty or garbage body may well succeed.
VALID_WITHOUT_FIELDS = {"accounts.logout", "accounts.account_settings", "accounts.resend_verification",
                        "accounts.resend_invitation", "accounts.revoke_invitation", "accounts.reset_two_factor",
                        "agenda.delete_room", "agenda.delete_plenary_slot", "agenda.generate_days", "agenda.show_comment",
                        "reports.remove_logo",
                        # A read-only helper: suggestions for an empty text are an empty list, not an error.
                        "drafting.suggest_labels",
                        "review.assign_automatically", "review.default_criteria", "review.remind",
                        # A retry button carries no field: a failed run is queued again, any other is refused.
                        "agenda.agenda_schedule_retry", "clustering.cluster_suggestions_retry",
                        "review.review_assignment_retry"}
ROLES = ("anonymous", "chair")

HOSTILE_STRINGS = [
    "' OR '1'='1", "1; DROP TABLE users; --", "\" OR 1=1 --", "1' AND SLEEP(5)--", "admin'--", "%' OR '%'='",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${7*7}",
    "{% raw %}", "%s%s%s%n", "../../../../etc/passwd", "\\\\server\\share", "\x00", "a\x00b",
    "\x1b[31mred", "\x07", "\x7f", "\x85", "\x0b", "\u202egnp.exe",
    "\ufeff", "\u200b", "𝕳𝖊𝖑𝖑𝖔", "👩🏽‍💻" * 300, "نادية حداد", "שָׁלוֹם", "e\u0301\u0302\u0303", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "a" * 5000, "x" * 100_000, "-1", "0", "1e309", "NaN", "-0", "99999999999999999999999999", "2**64",
    "2025-13-45T25:61", "1970-01-01T00:00", "9999-12-31T23:59", "null", "[]", "{}", "true", "on", " ", "\r\n\t",
]
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=400)
RIGHT_TO_LEFT = st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), min_size=1, max_size=80)
COMBINING = st.text(alphabet=st.characters(categories=("Mn", "Me")), min_size=1, max_size=40)
EMOJI = st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=40)
HOSTILE_TEXT = st.one_of(TEXT, st.sampled_from(HOSTILE_STRINGS), RIGHT_TO_LEFT, COMBINING, EMOJI,
                         st.integers().map(str), st.floats(allow_nan=True).map(str))
EXTRA_KEYS = st.one_of(st.sampled_from(["q", "page", "next", "role", "action", "id", "csrf_token", "submit",
                                        "version_id", "__proto__", "password", "is_admin"]),
                       st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30))


@dataclass
class FormShape:
    """What a page's HTML form sends: field names, and the options of its select boxes and checkboxes."""

    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collect every <form> of a page with its named inputs, selects (with options) and textareas."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FormShape] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            action = urlsplit(urljoin(self.page_url, attributes.get("action") or self.page_url)).path
            self.forms.append(FormShape(action=action, method=(attributes.get("method") or "get").upper()))
        elif tag == "option" and self._select and self.forms:
            self.forms[-1].fields[self._select].append(attributes.get("value", ""))
        elif not self.forms or not attributes.get("name"):
            return
        elif tag in {"input", "textarea", "select", "button"}:
            name = attributes["name"]
            values = self.forms[-1].fields.setdefault(name, [])
            if tag == "select":
                self._select = name
            elif attributes.get("value") is not None:
                values.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def endpoint_methods() -> list[tuple[str, str, str]]:
    """(endpoint, rule, method) for every route of the app, as the app registers them."""
    app = create_app("test", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted((rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"} if rule.endpoint not in SKIPPED_ENDPOINTS)


ROUTES = endpoint_methods()


@pytest.fixture
def world(app):
    """Rows in every table and the chair, with login throttling off so that the fuzzing reaches the login logic."""
    objects = fill_every_table()
    db.session.commit()
    limiter.enabled = False
    yield objects
    limiter.enabled = True


def request_as(app, client, method: str, url: str, **kwargs):
    # A fresh app context per request, as in production: the test's own context would carry `g` (and the signed-in
    # user Flask-Login caches there) from one request to the next.
    with app.app_context():
        return client.open(url, method=method, **kwargs)


def signed_in_client(app, role: str, world):
    client = app.test_client()
    if role == "chair":
        with client.session_transaction() as session:
            session["_user_id"] = world["chair"].get_id()
            session["_fresh"] = True
    return client


def url_for_rule(rule: str, values: dict) -> str:
    """The rule's path with each <converter:name> replaced by values[name] (URL-quoted)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda match: quote(str(values[match.group(1)]), safe=""), rule)


def rule_arguments(rule: str) -> dict[str, str]:
    """{argument name: converter} of a rule."""
    return {name: converter or "string" for converter, name in re.findall(r"<(?:([^:<>]+):)?([^<>]+)>", rule)}


def path_values(rule: str, ids: st.SearchStrategy) -> st.SearchStrategy:
    """Values for a rule's arguments: existing ids mostly, huge and negative-looking ones too, hostile text for strings."""
    strategies = {}
    for name, converter in rule_arguments(rule).items():
        if converter == "int":
            strategies[name] = st.one_of(ids, st.integers(min_value=0, max_value=2**70))
        else:
            strategies[name] = HOSTILE_TEXT.filter(lambda text: text not in {"", ".", ".."} and "/" not in text)
    return st.fixed_dictionaries(strategies)


def discover_forms(app, client, routes) -> dict[str, list[FormShape]]:
    """The forms shown by every GET page (with ids 1..3), keyed by the rule of the route they post to."""
    adapter = app.url_map.bind("localhost")
    forms: dict[str, list[FormShape]] = {}
    for _endpoint, rule, method in routes:
        if method != "GET":
            continue
        for candidate in range(1, 4):
            url = url_for_rule(rule, dict.fromkeys(rule_arguments(rule), candidate))
            response = request_as(app, client, "GET", url)
            if response.status_code == 200 and response.mimetype == "text/html":
                parser = FormParser(url)
                parser.feed(response.get_data(as_text=True))
                for form in parser.forms:
                    try:
                        target_rule = adapter.match(form.action, method=form.method, return_rule=True)[0].rule
                    except Exception:  # noqa: S112 - a form posting elsewhere (or nowhere) is not ours to fuzz
                        continue
                    forms.setdefault((target_rule, form.method), []).append(form)
                break
            if not rule_arguments(rule):
                break
    return forms


_FORMS_SEEN: dict[str, dict] = {}


def forms_seen_by(app, world, role: str) -> dict[str, list[FormShape]]:
    """discover_forms over every GET page as `role`, once per run and role.

    Every test builds the same world (fill_every_table on emptied tables, so the same ids), so the pages show the
    same forms: discovering them again per endpoint would cost ~130 page loads per test and find nothing new.
    """
    if role not in _FORMS_SEEN:
        pages = [route for route in ROUTES if route[2] == "GET"]
        _FORMS_SEEN[role] = discover_forms(app, signed_in_client(app, role, world), pages)
    return _FORMS_SEEN[role]


def form_values(shapes: list[FormShape]) -> st.SearchStrategy:
    """Fields of one of the forms posting here: each a hostile text, a value the form offers, or left out."""
    if not shapes:
        return st.just({})

    def for_shape(shape: FormShape):
        fields = {}
        for name, offered in shape.fields.items():
            choices = [st.sampled_from(offered)] if offered else []
            fields[name] = st.one_of(*choices, HOSTILE_TEXT, st.none())
        return st.fixed_dictionaries(fields).map(lambda values: {k: v for k, v in values.items() if v is not None})

    return st.sampled_from(shapes).flatmap(for_shape)


def describe(role, method, url, query, form) -> str:
    def short(mapping):
        return {key[:60]: (value[:120] + f"...({len(value)} chars)" if len(value) > 120 else value)
                for key, value in mapping.items()}

    return f"{role} {method} {url} query={short(query)!r} form={short(form)!r}"


@pytest.mark.parametrize(("endpoint", "rule", "method"), ROUTES, ids=[f"{e}-{m}" for e, _r, m in ROUTES])
def test_route_never_answers_5xx_to_hostile_input(app, world, endpoint, rule, method):
    # The role is drawn per example (rather than a parameter) so that each endpoint gets its full count of
    # examples in half the time: most of the cost is the chair's pages, the anonymous requests mostly redirect.
    clients = {role: signed_in_client(app, role, world) for role in ROLES}
    shapes = {role: forms_seen_by(app, world, role).get((rule, method), []) for role in ROLES}
    ids = st.integers(min_value=1, max_value=5)

    @settings(settings.get_profile(active_profile()), max_examples=examples_per_endpoint())
    @given(role_and_form=st.sampled_from(ROLES).flatmap(lambda role: st.tuples(st.just(role), form_values(shapes[role]))),
           values=path_values(rule, ids), query=st.dictionaries(EXTRA_KEYS, HOSTILE_TEXT, max_size=4),
           extra=st.dictionaries(EXTRA_KEYS, HOSTILE_TEXT, max_size=3))
    def check(role_and_form, values, query, extra):
        role, form = role_and_form
        url = url_for_rule(rule, values)
        body = {**extra, **form} if method == "POST" else None
        response = request_as(app, clients[role], method, url, query_string=query, data=body)
        assert response.status_code < 500, (
            f"{endpoint}: {response.status_code} for {describe(role, method, url, query, body or {})}")

    check()


POST_ROUTES = [route for route in ROUTES if route[2] == "POST" and route[0] not in VALID_WITHOUT_FIELDS]


def intended_role(app, world, url: str) -> str:
    """The role a form is for: anonymous when the chair is turned away from its page (sign-in, registration)."""
    chair_view = request_as(app, signed_in_client(app, "chair", world), "GET", url)
    anonymous_view = request_as(app, signed_in_client(app, "anonymous", world), "GET", url)
    return "anonymous" if chair_view.status_code in (302, 303) and anonymous_view.status_code == 200 else "chair"


@pytest.mark.parametrize(("endpoint", "rule", "method"), POST_ROUTES, ids=[e for e, _r, _m in POST_ROUTES])
def test_invalid_post_answers_4xx(app, world, endpoint, rule, method):
    url = url_for_rule(rule, dict.fromkeys(rule_arguments(rule), 1))
    client = signed_in_client(app, intended_role(app, world, url), world)

    empty = request_as(app, client, "POST", url, data={})
    garbage = request_as(app, client, "POST", url, data={"\x00": "\x00", "version_id": "' OR 1=1 --"})

    assert (endpoint, empty.status_code // 100, garbage.status_code // 100) == (endpoint, 4, 4)


def test_form_parser_reads_fields_and_options():
    parser = FormParser("/account/register")
    parser.feed('<form method="post"><input name="name" value="Zoë"><select name="country"><option value="">-'
                '</option><option value="KE">Kenya</option></select><textarea name="bio"></textarea>'
                '<button name="submit" value="go">Go</button></form><form action="/search"><input name="q"></form>')

    assert [(form.action, form.method, form.fields) for form in parser.forms] == [
        ("/account/register", "POST", {"name": ["Zoë"], "country": ["", "KE"], "bio": [], "submit": ["go"]}),
        ("/search", "GET", {"q": []}),
    ]
