"""The home page, error pages, security headers and what every template can use."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from sqlalchemy.orm.exc import StaleDataError

from consult import reference
from consult.consultations.models import PHASE_LABELS
from consult.consultations.queries import current_phase, get_current_consultation, next_deadline
from consult.errors import DomainError
from consult.extensions import db
from consult.text import plain_excerpt, render_markdown

bp = Blueprint("main", __name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


@bp.route("/")
def index():
    """The consultation's front page: theme, phases, deadline and what each role can do now."""
    return render_template("index.html")


@bp.route("/healthz")
def health():
    """Liveness and database check for load balancers."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


def current_consultation():
    """The current consultation, loaded once per request."""
    if "current_consultation" not in g:
        g.current_consultation = get_current_consultation()
    return g.current_consultation


def format_local(moment: datetime | None, tz_name: str | None = None, fmt: str = "%d %b %Y %H:%M") -> str:
    """A UTC time shown in the consultation's time zone, with the zone's abbreviation."""
    if moment is None:
        return ""
    consultation = current_consultation()
    zone = ZoneInfo(tz_name or (consultation.timezone if consultation else "UTC"))
    local = moment.astimezone(zone)
    return f"{local.strftime(fmt)} {local.tzname()}"


def _forget_request_state() -> None:
    """Start every request with an empty `g`.

    A request normally gets a fresh app context (and so a fresh `g`), but one pushed around several requests
    (a test, a script using the test client) would carry cached values such as the signed-in user over.
    """
    for key in list(g):
        g.pop(key, None)


def register_web_hooks(app: Flask) -> None:
    """Error handlers, security headers, template globals and filters."""
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

    def error_page(status: int, title: str, message: str):
        if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
            return jsonify(error=title, message=message), status
        return render_template("errors/error.html", status=status, title=title, message=message), status

    @app.errorhandler(400)
    def bad_request(error):
        return error_page(400, _("Bad request"), getattr(error, "description", "") or _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, _("Form expired"), _("The form was sent without a valid security token. Go back, reload the page and send it again."))

    @app.errorhandler(403)
    def forbidden(error):
        return error_page(403, _("Not allowed"), _("You do not have permission to see this page or do this."))

    @app.errorhandler(404)
    def not_found(error):
        return error_page(404, _("Not found"), _("There is nothing at this address."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return error_page(405, _("Method not allowed"), _("This address does not accept that kind of request."))

    @app.errorhandler(413)
    def too_large(error):
        return error_page(413, _("Too large"), _("What you sent is larger than this site accepts."))

    @app.errorhandler(429)
    def too_many(error):
        return error_page(429, _("Too many attempts"), _("Too many attempts in a short time. Wait a minute and try again."))

    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        return error_page(error.status_code, _("Not possible"), error.message)

    @app.errorhandler(StaleDataError)
    def stale_data(error):
        db.session.rollback()
        return error_page(409, _("Changed meanwhile"), _("Someone else saved this first. Reload the page to see their changes, then apply yours again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return error_page(500, _("Something went wrong"), _("The error was logged. Please try again in a moment."))

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
    )
    app.jinja_env.filters.update(
        markdown=render_markdown,
        excerpt=plain_excerpt,
        country_name=reference.country_name,
        local=format_local,
    )
