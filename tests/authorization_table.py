"""What every route answers to each role: the table the authorization matrix (tests/test_authorization.py) checks.

Every endpoint of `app.url_map` must appear here, in the dict of its area. An entry says, per method, what each
role gets, and builds the URL's arguments from the `World` of the test (its users and consultation; a builder may
create more objects with the factories and must flush them).

Expected outcomes:
- an HTTP status (200, 403, 404, 405, ...);
- LOGIN: a redirect to the sign-in page (anonymous users on a protected page);
- REDIRECT: any redirect that is not to the sign-in page (for instance a signed-in user on /account/login);
- ALLOWED (POST only): the request passes the permission checks: anything but 401/403, a redirect to sign-in or
  a 500 (the empty form usually gets 422 or a redirect back).
"""
from dataclasses import dataclass, field
from typing import Callable

LOGIN = "login"
REDIRECT = "redirect"
ALLOWED = "allowed"
ROLES = ("anonymous", "stakeholder", "reviewer", "chair")


@dataclass
class Route:
    """Expected outcomes of one endpoint per role (in ROLES order), and how to build its URL arguments."""

    get: tuple | None = None
    post: tuple | None = None
    args: Callable = field(default=lambda world: {})


def everyone(outcome):
    """The same outcome for every role."""
    return (outcome,) * 4


def signed_in(outcome):
    """Sign-in for anonymous users, outcome for every signed-in role."""
    return (LOGIN, outcome, outcome, outcome)


def chair_only(outcome):
    """Sign-in for anonymous users, 403 for stakeholders and reviewers, outcome for the chair."""
    return (LOGIN, 403, 403, outcome)


def reviewers(outcome):
    """Sign-in for anonymous users, 403 for stakeholders, outcome for reviewers and the chair."""
    return (LOGIN, 403, outcome, outcome)


def anonymous_only(outcome):
    """outcome for anonymous users; signed-in users are sent away (to the home page)."""
    return (outcome, REDIRECT, REDIRECT, REDIRECT)


MAIN = {
    "static": Route(get=everyone(200), args=lambda world: {"filename": "css/consult.css"}),
    "main.index": Route(get=everyone(200)),
    "main.health": Route(get=everyone(200)),
}

ACCOUNTS = {
    "accounts.register": Route(get=anonymous_only(200), post=anonymous_only(ALLOWED)),
    "accounts.login": Route(get=anonymous_only(200), post=anonymous_only(ALLOWED)),
    "accounts.logout": Route(post=signed_in(REDIRECT)),
    "accounts.profile": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "accounts.users": Route(get=chair_only(200)),
    "accounts.set_role": Route(post=chair_only(ALLOWED), args=lambda world: {"user_id": world.stakeholder.id}),
}

CONSULTATIONS = {
    "consultations.overview": Route(get=everyone(200)),
    "consultations.show": Route(get=everyone(200), args=lambda world: {"consultation_id": world.consultation.id}),
    "consultations.create": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "consultations.settings": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "consultations.edit_phase": Route(get=chair_only(200), post=chair_only(ALLOWED),
                                      args=lambda world: {"phase_id": world.consultation.phases[1].id}),
    "consultations.extend_phase": Route(post=chair_only(ALLOWED),
                                        args=lambda world: {"phase_id": world.consultation.phases[1].id}),
}


def _outbox_message(world):
    from consult.outbox.services import queue_email

    return {"message_id": queue_email("someone@example.org", "Subject", "Body").id}


AUDIT_AND_OUTBOX = {
    "audit.log": Route(get=chair_only(200)),
    "outbox.messages": Route(get=chair_only(200)),
    "outbox.message": Route(get=chair_only(200), args=_outbox_message),
}

# Each area adds its dict here (PROPOSALS, REVIEW, AGENDA, REPORTS, ...).
AREAS = (MAIN, ACCOUNTS, CONSULTATIONS, AUDIT_AND_OUTBOX)


def expectations() -> dict[str, Route]:
    """Every area's entries in one dict; an endpoint listed twice is an error."""
    merged: dict[str, Route] = {}
    for area in AREAS:
        duplicated = merged.keys() & area.keys()
        assert not duplicated, f"listed in two areas of tests/authorization_table.py: {sorted(duplicated)}"
        merged.update(area)
    return merged
