"""The authorization matrix: every route of app.url_map, for every role of the table, in the phase the table names."""
import pytest
from flask import url_for
from markupsafe import escape

from consult.consultations.models import PhaseKind
from consult.extensions import db
from tests.authorization_table import ALLOWED, LOGIN, REDIRECT, ROLES, expectations
from tests.authorization_world import build_world

# A page sweep: it walks every route, and the routes do not depend on the database engine (CI runs it on SQLite).
pytestmark = pytest.mark.sweep

PHASES = sorted({case.phase for route in expectations().values() for case in route.cases()}, key=list(PhaseKind).index)


def outcome_of(response) -> str | int:
    """The response as the table names it."""
    if response.status_code in (301, 302, 303, 307, 308):
        return LOGIN if response.headers["Location"].startswith("/account/login") else REDIRECT
    return response.status_code


def matches(expected, actual) -> bool:
    if expected == ALLOWED:
        return actual not in (LOGIN, 401, 403, 500)
    return expected == actual


def test_every_endpoint_is_in_the_table(app):
    table = expectations()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}

    missing = sorted(endpoints - table.keys())
    stale = sorted(table.keys() - endpoints)

    assert missing == [], f"add these endpoints to tests/authorization_table.py: {missing}"
    assert stale == [], f"these endpoints of tests/authorization_table.py no longer exist: {stale}"


def test_every_method_of_every_route_is_in_the_table(app):
    table = expectations()
    unlisted = []
    for rule in app.url_map.iter_rules():
        route = table.get(rule.endpoint)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if route is not None and getattr(route, method.lower(), None) is None:
                unlisted.append(f"{method} {rule.endpoint}")

    assert unlisted == [], f"give these methods their expected outcomes in tests/authorization_table.py: {unlisted}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", PHASES, ids=lambda phase: phase.value)
def test_authorization_matrix(app, stakeholder, reviewer, chair, login, phase, role):
    world = build_world(phase, stakeholder=stakeholder, reviewer=reviewer, chair=chair)
    table = expectations()
    mismatches = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule)):
        for case in table[rule.endpoint].cases():
            if case.phase is not phase:
                continue
            for method in ("GET", "POST"):
                expected_by_role = getattr(case, method.lower())
                if method not in rule.methods or expected_by_role is None:
                    continue
                expected = expected_by_role[ROLES.index(role)]
                hidden = case.hidden(world) if method == "GET" and case.hidden and role in case.hidden_from else None
                with app.test_request_context():
                    url = url_for(rule.endpoint, **case.args(world))
                db.session.commit()
                client = app.test_client()
                if role != "anonymous":
                    login(getattr(world, role), client)
                response = client.open(url, method=method)
                actual = outcome_of(response)
                page = response.get_data(as_text=True) if hidden is not None else ""
                shown = hidden is not None and (hidden in page or str(escape(hidden)) in page)
                response.close()
                if not matches(expected, actual):
                    mismatches.append(
                        f"{method} {url} ({rule.endpoint}{case.label}) as {role}: expected {expected}, got {actual}"
                    )
                elif shown:
                    mismatches.append(f"{method} {url} ({rule.endpoint}{case.label}) as {role}: shows {hidden!r}")
                db.session.rollback()

    assert mismatches == [], "\n".join(mismatches)
