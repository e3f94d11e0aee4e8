"""The consultation's phases for everyone; settings, phases and deadlines for the chair."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.consultations.models import Consultation, Phase
from consult.consultations.queries import list_consultations
from consult.consultations.visibility import visibility_of
from consult.consultations.services import create_consultation, extend_deadline, update_consultation, update_phase
from consult.errors import DomainError, EditConflictError
from consult.extensions import db
from consult.forms.consultations import ConsultationForm, ExtendDeadlineForm, PhaseForm
from consult.views_helpers import attach_error
from consult.web import current_consultation

bp = Blueprint("consultations", __name__, url_prefix="/consultation")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(visibility_of=visibility_of)


def _current_or_404() -> Consultation:
    consultation = current_consultation()
    if consultation is None:
        abort(404)
    return consultation


@bp.route("/")
def overview():
    """The current consultation: its phases, dates and deadlines."""
    return render_template("consultations/overview.html", shown=_current_or_404(), archive=list_consultations())


@bp.route("/<int:consultation_id>")
def show(consultation_id: int):
    """An earlier (or the current) cycle, read-only."""
    shown = db.get_or_404(Consultation, consultation_id)
    return render_template("consultations/overview.html", shown=shown, archive=list_consultations())


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def create():
    """The chair opens a new consultation cycle."""
    form = ConsultationForm()
    if form.validate_on_submit():
        consultation = create_consultation(title=form.title.data, year=form.year.data, theme=form.theme.data or "",
                                           forum_start=form.forum_start.data, forum_end=form.forum_end.data,
                                           timezone_name=form.timezone.data, actor=current_user)
        db.session.commit()
        flash(_("The consultation is created with a default calendar: check its phases."), "success")
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("consultations/edit.html", form=form, creating=True), status


def _settings_form_from(consultation: Consultation) -> ConsultationForm:
    """The settings form filled from the stored consultation."""
    form = ConsultationForm(obj=consultation, formdata=None)
    form.review_visibility.data = consultation.review_visibility.value
    form.version_id.data = consultation.version_id
    return form


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def settings():
    """The chair edits the current consultation's settings."""
    consultation = _current_or_404()
    form = _settings_form_from(consultation) if request.method == "GET" else ConsultationForm()
    if form.validate_on_submit():
        try:
            update_consultation(
                consultation, actor=current_user, expected_version=form.version_id.data,
                title=form.title.data, theme=form.theme.data or "", year=form.year.data,
                forum_start=form.forum_start.data, forum_end=form.forum_end.data, timezone=form.timezone.data,
                reviewers_per_proposal=form.reviewers_per_proposal.data, is_blind_review=form.is_blind_review.data,
                review_visibility=form.review_visibility.data, submissions_published=form.submissions_published.data,
            )
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, EditConflictError):
                form = _settings_form_from(consultation)
            attach_error(form, error)
            status = 409 if isinstance(error, EditConflictError) else 422
            return render_template("consultations/edit.html", form=form, creating=False), status
        db.session.commit()
        flash(_("The consultation's settings are saved."), "success")
        return redirect(url_for("consultations.overview"))
    status = 422 if form.is_submitted() else 200
    return render_template("consultations/edit.html", form=form, creating=False), status


def _phase_form_from(phase: Phase) -> PhaseForm:
    """The phase form filled from the stored phase (times as naive UTC for the datetime-local inputs)."""
    form = PhaseForm(obj=phase, formdata=None)
    form.opens_at.data = phase.opens_at.replace(tzinfo=None)
    form.closes_at.data = phase.closes_at.replace(tzinfo=None)
    form.version_id.data = phase.version_id
    return form


@bp.route("/phases/<int:phase_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_phase(phase_id: int):
    """The chair edits a phase's name, description and times."""
    phase = db.get_or_404(Phase, phase_id)
    form = _phase_form_from(phase) if request.method == "GET" else PhaseForm()
    extend_form = ExtendDeadlineForm()
    if request.method == "GET":
        extend_form.version_id.data = phase.version_id
    if form.validate_on_submit():
        try:
            update_phase(phase, actor=current_user, name=form.name.data, description=form.description.data,
                         opens_at=form.opens_at.data, closes_at=form.closes_at.data, expected_version=form.version_id.data)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, EditConflictError):
                # Show the version saved by the other chair, so that a second save applies to it knowingly.
                form = _phase_form_from(phase)
            attach_error(form, error)
            status = 409 if isinstance(error, EditConflictError) else 422
            return render_template("consultations/edit_phase.html", phase=phase, form=form, extend_form=extend_form), status
        db.session.commit()
        flash(_("The phase “%(name)s” is saved.", name=phase.label), "success")
        return redirect(url_for("consultations.show", consultation_id=phase.consultation_id))
    status = 422 if form.is_submitted() else 200
    return render_template("consultations/edit_phase.html", phase=phase, form=form, extend_form=extend_form), status


@bp.route("/phases/<int:phase_id>/extend", methods=["POST"])
@role_required(Role.CHAIR)
def extend_phase(phase_id: int):
    """The chair extends a phase's deadline; everyone sees the new one at once."""
    phase = db.get_or_404(Phase, phase_id)
    extend_form = ExtendDeadlineForm()
    form = _phase_form_from(phase)
    status = 422
    if extend_form.validate_on_submit():
        try:
            extend_deadline(phase, closes_at=extend_form.closes_at.data, actor=current_user,
                            expected_version=extend_form.version_id.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(extend_form, error)
            status = 409 if isinstance(error, EditConflictError) else 422
        else:
            db.session.commit()
            flash(_("The deadline of “%(name)s” is extended.", name=phase.label), "success")
            return redirect(url_for("consultations.show", consultation_id=phase.consultation_id))
    extend_form.version_id.data = phase.version_id
    return render_template("consultations/edit_phase.html", phase=phase, form=form, extend_form=extend_form), status
