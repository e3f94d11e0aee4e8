"""Rendered public pages served from memory to visitors who are not signed in, keyed by what they show.

A public page (the home page, the published proposals, the published agenda) reads the same for every visitor who
is not signed in, and changes only when something is written to the database or a phase opens or closes. So every
commit that writes anything but infrastructure rows (audit entries, queued e-mail, jobs) increments one counter,
`site_generation`, and a cached page is keyed by that counter, the address and the language, and expires at the next
phase boundary. A hit costs one primary-key read, not the page's queries and templates; an ETag lets a browser or
proxy revalidate with a 304.

The cache lives in each worker's memory: what it holds is derived, keyed by the shared counter, so several workers
and hosts never serve each other's stale state (a Redis round trip would cost more than the render it saves here).
For visitors, a worker reads the counter at most every PAGE_CACHE_RECHECK_SECONDS (and at once after its own
commits): a hit then costs no database round trip at all, which on PostgreSQL were four (pool ping, BEGIN, the
read, COMMIT) and most of the hit's time. So a visitor may see a page that much older than another worker's commit;
its Cache-Control already lets any browser keep it for 30 s. Signed-in pages always read the counter afresh.
"""
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

import sqlalchemy as sa
from flask import Response, current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, Session, mapped_column

from consult.db import utcnow
from consult.extensions import db

# Rows written on every request or in the background that no public page shows.
UNSEEN_TABLES = frozenset({"audit_entries", "outbox_messages", "site_generation", "report_jobs", "work_jobs",
                           "login_attempts", "user_sessions", "import_batches"})
MAX_ENTRIES = 2048
CHANGED_KEY = "consult_public_content_changed"
BUMPED_KEY = "consult_public_content_counted"


class SiteGeneration(db.Model):
    """One row counting the commits that changed what public pages may show."""

    __tablename__ = "site_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


@dataclass(frozen=True)
class CachedPage:
    """A rendered page body with its type, ETag and the moment it stops being true (a phase boundary)."""

    body: bytes
    mimetype: str
    etag: str
    expires_at: datetime | None


class PageStore:
    """A bounded, thread-safe least-recently-used map of rendered pages (and values derived like them)."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> CachedPage | None:
        with self._lock:
            page = self._entries.get(key)
            if page is None:
                return None
            if getattr(page, "expires_at", None) is not None and page.expires_at <= utcnow():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return page

    def put(self, key: tuple, page: CachedPage) -> None:
        with self._lock:
            self._entries[key] = page
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def current_generation() -> int:
    """The counter of public-content commits (0 before the first one)."""
    # A driver-level statement on the session's own connection: a third of the ORM path's cost on a cache hit,
    # and inside the request's transaction, so it sees what this transaction wrote.
    value = db.session.connection().exec_driver_sql("SELECT value FROM site_generation WHERE id = 1").scalar()
    return value or 0


class KnownGeneration:
    """This worker's last reading of the counter and when it was taken (shared by its threads)."""

    def __init__(self):
        self.value: int | None = None
        self.read_at = 0.0
        self._lock = threading.Lock()

    def fresh_value(self, max_age: float, read: Callable[[], int]) -> int:
        """The counter, read again when the last reading is older than max_age seconds."""
        with self._lock:
            value, read_at = self.value, self.read_at
        if value is not None and time.monotonic() - read_at < max_age:
            return value
        value = read()
        with self._lock:
            self.value, self.read_at = value, time.monotonic()
        return value

    def forget(self) -> None:
        with self._lock:
            self.value = None


def visitor_generation() -> int:
    """The counter as a visitor's page needs it: this worker's reading, at most PAGE_CACHE_RECHECK_SECONDS old."""
    known = current_app.extensions.setdefault("consult_known_generation", KnownGeneration())
    return known.fresh_value(current_app.config["PAGE_CACHE_RECHECK_SECONDS"], current_generation)


def note_public_changes(session: Session, flush_context) -> None:
    """After a flush: remember whether it wrote a table that a public page may show."""
    if session.info.get(CHANGED_KEY):
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table is not None and table not in UNSEEN_TABLES:
            session.info[CHANGED_KEY] = True
            return


def note_public_statement(state) -> None:
    """A bulk INSERT, UPDATE or DELETE run through the session counts as a change too."""
    if (state.is_insert or state.is_update or state.is_delete) and not state.session.info.get(CHANGED_KEY):
        table = getattr(state.statement, "table", None)
        if table is None or getattr(table, "name", None) not in UNSEEN_TABLES:
            state.session.info[CHANGED_KEY] = True


def bump_generation(session: Session) -> None:
    """Before a commit that changed public content: count it, as the transaction's last write.

    Taken last, the counter row's lock is held only for the commit itself, so two transactions never wait on
    each other in opposite orders.
    """
    session.flush()  # the commit's own flush comes after this hook: its changes must count too
    if not session.info.pop(CHANGED_KEY, False):
        return
    # One statement that creates the row or counts on it: two first commits at once cannot both insert it.
    session.connection().exec_driver_sql(
        "INSERT INTO site_generation (id, value) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET value = site_generation.value + 1")
    session.info[BUMPED_KEY] = True


def forget_known_generation(session: Session) -> None:
    """After a commit that counted: this worker reads the counter again, so its own changes show at once."""
    if session.info.pop(BUMPED_KEY, False) and has_app_context():
        known = current_app.extensions.get("consult_known_generation")
        if known is not None:
            known.forget()


def forget_public_changes(session: Session, *args) -> None:
    session.info.pop(CHANGED_KEY, None)
    session.info.pop(BUMPED_KEY, None)


def install_listeners() -> None:
    """Track public-content writes on every ORM session (idempotent)."""
    for name, listener in (("after_flush", note_public_changes), ("do_orm_execute", note_public_statement),
                           ("before_commit", bump_generation), ("after_commit", forget_known_generation),
                           ("after_rollback", forget_public_changes)):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)


def _next_boundary() -> datetime | None:
    """The next phase opening or closing after now: the phase bar of a page changes then."""
    consultation = g.get("current_consultation")
    if consultation is None:
        return None
    now = utcnow()
    moments = [moment for phase in consultation.phases for moment in (phase.opens_at, phase.closes_at) if moment > now]
    return min(moments, default=None)


def _is_visitor() -> bool:
    """Not signed in and nothing waiting in the session (a flashed message is for one person)."""
    return "_user_id" not in session and "_flashes" not in session


def cached_for_visitors(max_age: int = 30) -> Callable:
    """Serve a GET view's page from the cache to visitors who are not signed in, with an ETag and a 304."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.method not in ("GET", "HEAD") or not _is_visitor() or not current_app.config["PAGE_CACHE"]:
                return view(*args, **kwargs)
            key = (request.endpoint, request.full_path, str(get_locale()), visitor_generation())
            page = page_store().get(key)
            if page is None:
                response = make_response(view(*args, **kwargs))
                # Only a plain, shared answer is kept: an error, a redirect or anything that set a cookie is not.
                if response.status_code != 200 or response.headers.get("Set-Cookie") or session.modified:
                    return response
                body = response.get_data()
                page = CachedPage(body=body, mimetype=response.mimetype,
                                  etag=hashlib.blake2b(body, digest_size=16).hexdigest(), expires_at=_next_boundary())
                page_store().put(key, page)
            response = Response(page.body, mimetype=page.mimetype)
            response.set_etag(page.etag)
            response.headers["Cache-Control"] = f"public, max-age={max_age}"
            response.vary.update(("Cookie", "Accept-Language"))
            return response.make_conditional(request)

        return wrapper

    return decorate


def memoized_until_next_change(key: tuple, compute: Callable[[], object]) -> object:
    """A value computed from the database alone (counts, say), kept until the next commit that changes content.

    Paging through a list asks for the same counts on every page; they change only when something is committed.
    """
    if not current_app.config["PAGE_CACHE"]:
        return compute()
    full_key = ("memo", *key, str(get_locale()), current_generation())
    value = page_store().get(full_key)
    if value is None:
        value = compute()
        page_store().put(full_key, value)
    return value


def page_store() -> PageStore:
    """The app's page store (one per app, so that tests never share pages)."""
    return current_app.extensions.setdefault("consult_page_store", PageStore())
