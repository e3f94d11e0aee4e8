"""The error boundary: the one place where a domain error raised in a view becomes its response, in every area.

A view loads, checks, declares the page its form is shown on (`form_page`), calls one service and redirects; it
neither commits nor catches. When the service refuses, the error reaches the handler registered here, which rolls
the request back and answers by kind:

- PhaseClosedError, NotAllowedError: 403, the error page with the reason (which phase, since when);
- EditConflictError (and SQLAlchemy's StaleDataError): 409, the form page again with what was typed, the message,
  and the saved version beside the submitted one; a stale version's message says who saved meanwhile (you in
  another tab or window, someone else) and what the page shows (consult/edit_conflict.py);
- any other DomainError (ValidationError, FormInvalid): 422, the form page again with what was typed and the
  message next to the field it names.

Without a declared page, a 409 or 422 is the error page with the message.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, flash, g, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from consult.edit_conflict import compare_versions, conflict_message, saved_version_id
from consult.errors import DomainError, EditConflictError, FormInvalid, NotAllowedError, PhaseClosedError, StaleVersionError
from consult.extensions import db


@dataclass
class FormPage:
    """The page a request's form is shown on, to show it again when a service refuses what was sent."""

    form: FlaskForm | None
    render: Callable[[], ResponseReturnValue]
    saved: Callable[[], object] | None = None
    keep_when_closed: bool = False


def form_page(form: FlaskForm | None, render: Callable[[], ResponseReturnValue], *, saved: Callable[[], object] | None = None,
              keep_when_closed: bool = False):
    """Declare, once per view, the page that shows form: the boundary renders it when a service refuses.

    render() builds the page from the database as it is (the failed request is rolled back first) and the form as
    it was sent. saved() returns the object being edited (or its form data as a mapping): on an edit conflict its
    values are shown beside the submitted ones. form None means a POST-only button: the message is flashed on
    the page render() shows. keep_when_closed: a phase that closed while the form was open answers 403 with this
    page again (everything typed kept, the reason on top) instead of the error page, for long texts such as a
    proposal. Returns form, so that `form = form_page(SomeForm(), ...)` reads in one line.
    """
    g.form_page = FormPage(form, render, saved, keep_when_closed)
    return form


def ensure_valid(form: FlaskForm) -> None:
    """Raise FormInvalid (422, the declared page again) unless the form was posted and passes its own checks."""
    if not form.validate_on_submit():
        raise FormInvalid()


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a domain error next to each field it names (all of them, see DomainError.errors), or at the top of the form."""
    if not error.message:
        return
    for name, message in (error.errors or {None: error.message}).items():
        field = getattr(form, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)


def error_page(status: int, title: str, message: str):
    """The error page (JSON for API clients) with a status, a title and the reason."""
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=title, message=message), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _title_of(error: DomainError) -> str:
    if isinstance(error, PhaseClosedError):
        return _("Closed in this phase")
    if isinstance(error, NotAllowedError):
        return _("Not allowed")
    if isinstance(error, EditConflictError):
        return _("Changed meanwhile")
    return _("Not possible")


def _default_message(error: DomainError) -> str:
    if isinstance(error, FormInvalid):
        return _("Some fields are not filled in as they should be. Correct them and send the form again.")
    return _("This is not possible.")


def answer_domain_error(error: DomainError):
    """The response to a domain error, the same in every area (see the module's docstring)."""
    db.session.rollback()
    status = error.status_code
    page: FormPage | None = g.pop("form_page", None)
    kept = page is not None and page.keep_when_closed and isinstance(error, PhaseClosedError)
    if page is None or (status == 403 and not kept):
        return error_page(status, _title_of(error), error.message or _default_message(error))
    if isinstance(error, EditConflictError) and page.saved is not None:
        _show_both_versions(page)
    if isinstance(error, StaleVersionError):
        g.edit_conflict_saved_by = error.saved_by
        if not error.is_worded:
            shown = "page" if page.form is None else "beside" if g.get("edit_conflict") else "form"
            error.message = conflict_message(error.saved_by, shown)
    if page.form is not None:
        attach_error(page.form, error)
    elif error.message:
        flash(error.message, "error")
    try:
        response = make_response(page.render())
    except HTTPException as http_error:  # the page's object is gone meanwhile (404): answer that, never a 500
        return current_app.handle_http_exception(http_error)
    response.status_code = status
    return response


def _show_both_versions(page: FormPage) -> None:
    saved = page.saved()
    if saved is None:
        return
    g.edit_conflict = compare_versions(page.form, saved)
    version = saved_version_id(saved)
    # Saving again is then a deliberate choice over the version shown, not a second conflict.
    if version is not None and page.form is not None and hasattr(page.form, "version_id"):
        page.form.version_id.data = version


def register_error_boundary(app: Flask) -> None:
    """The error pages of HTTP errors and the answers to domain errors."""

    @app.errorhandler(400)
    def bad_request(error):
        return error_page(400, _("Bad request"), getattr(error, "description", "") or _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(
            400,
            _("Form expired"),
            _("The form was sent without a valid security token. Go back, reload the page and send it again."),
        )

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

    app.register_error_handler(DomainError, answer_domain_error)

    @app.errorhandler(StaleDataError)
    def stale_data(error):
        # The row's version moved on between our read and our write: the same answer as a service's version check.
        return answer_domain_error(StaleVersionError(conflict_message(None, "alone")))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return error_page(500, _("Something went wrong"), _("The error was logged. Please try again in a moment."))

    @app.context_processor
    def edit_conflict_context():
        return {"edit_conflict": g.get("edit_conflict"), "edit_conflict_saved_by": g.get("edit_conflict_saved_by")}

