"""The home page, the request's transaction, security headers and what every template can use."""
from flask import Blueprint, Flask, g, jsonify, render_template
from sqlalchemy import text

from consult import reference
from consult.boundary import register_error_boundary
from consult.consultations.models import PHASE_LABELS
from consult.consultations.queries import current_consultation, current_phase, next_deadline
from consult.consultations.times import format_day, format_local, format_number, format_time_of_day
from consult.extensions import db
from consult.forms import error_items, own_errors, prefix_ids
from consult.pagecache import cached_for_visitors
from consult.text import plain_excerpt, render_markdown

bp = Blueprint("main", __name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@bp.route("/")
@cached_for_visitors()
def index():
    """The consultation's front page: theme, phases, deadline and what each role can do now."""
    return render_template("index.html")


@bp.route("/healthz")
def health():
    """Liveness and database check for load balancers."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


def _forget_request_state() -> None:
    """Start every request with an empty `g`.

    A request normally gets a fresh app context (and so a fresh `g`), but one pushed around several requests
    (a test, a script using the test client) would carry cached values such as the signed-in user over.
    """
    for key in list(g):
        g.pop(key, None)


def register_web_hooks(app: Flask) -> None:
    """The error boundary, the request's one transaction, security headers, template globals and filters."""
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_request_state)
    from consult.unicode_input import NormalisedRequest, refuse_control_characters

    app.request_class = NormalisedRequest
    app.before_request_funcs.setdefault(None, []).insert(1, refuse_control_characters)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response

    register_error_boundary(app)

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()

    # Registered last so that it runs first among the after-request hooks: the outbox's delivery (a hook of its
    # blueprint) sees only what this commit made durable.
    @app.after_request
    def commit_request(response):
        """One transaction per request: commit when the view answered without error, roll back otherwise."""
        if response.status_code >= 400:
            db.session.rollback()
        else:
            db.session.commit()
        return response

    @app.context_processor
    def consultation_context():
        consultation = current_consultation()
        if consultation is None:
            return {"consultation": None, "phase": None, "deadline": None}
        return {
            "consultation": consultation,
            "phase": current_phase(consultation),
            "deadline": next_deadline(consultation),
        }

    app.jinja_env.globals.update(
        reference=reference,
        PHASE_LABELS=PHASE_LABELS,
        format_local=format_local,
        error_items=error_items,
    )
    app.jinja_env.filters.update(
        markdown=render_markdown,
        excerpt=plain_excerpt,
        country_name=reference.country_name,
        local=format_local,
        day=format_day,
        time_of_day=format_time_of_day,
        decimal=format_number,
        label=reference.label_of,
        format_label=reference.format_label,
        action_line=reference.action_line_label,
        gender=reference.gender_label,
        region=reference.region_label,
        id_prefix=prefix_ids,
        own_errors=own_errors,
        reader_text=reference.in_reader_language,
    )
