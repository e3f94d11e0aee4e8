"""The consultation's phases for everyone; settings, phases and deadlines for the chair."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.models import Consultation, Phase
from consult.consultations.queries import consultation_or_404, forum_date_warnings, list_consultations
from consult.consultations.services import create_consultation, extend_deadline, update_consultation, update_phase
from consult.consultations.visibility import visibility_of
from consult.extensions import db
from consult.forms.consultations import ConsultationForm, ExtendDeadlineForm, PhaseForm

bp = Blueprint("consultations", __name__, url_prefix="/consultation")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(visibility_of=visibility_of)


@bp.route("/")
def overview():
    """The current consultation: its phases, dates and deadlines."""
    return render_template("consultations/overview.html", shown=consultation_or_404(), archive=list_consultations())


@bp.route("/<int:consultation_id>")
def show(consultation_id: int):
    """An earlier (or the current) cycle, read-only."""
    shown = db.get_or_404(Consultation, consultation_id)
    return render_template("consultations/overview.html", shown=shown, archive=list_consultations())


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def create():
    """The chair opens a new consultation cycle."""
    form = form_page(ConsultationForm(), lambda: render_template("consultations/edit.html", form=form, creating=True))
    if request.method == "GET":
        return render_template("consultations/edit.html", form=form, creating=True)
    ensure_valid(form)
    consultation = create_consultation(title=form.title.data, year=form.year.data, theme=form.theme.data or "",
                                       forum_start=form.forum_start.data, forum_end=form.forum_end.data,
                                       timezone_name=form.timezone.data, actor=current_user)
    flash(_("The consultation is created with a default calendar: check its phases."), "success")
    return redirect(url_for("consultations.show", consultation_id=consultation.id))


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
    consultation = consultation_or_404()
    if request.method == "GET":
        return render_template("consultations/edit.html", form=_settings_form_from(consultation), creating=False,
                               forum_warnings=forum_date_warnings(consultation))
    form = form_page(ConsultationForm(), lambda: render_template("consultations/edit.html", form=form, creating=False),
                     saved=lambda: consultation)
    ensure_valid(form)
    update_consultation(
        consultation, actor=current_user, expected_version=form.version_id.data,
        title=form.title.data, theme=form.theme.data or "", year=form.year.data,
        forum_start=form.forum_start.data, forum_end=form.forum_end.data, timezone=form.timezone.data,
        reviewers_per_proposal=form.reviewers_per_proposal.data, is_blind_review=form.is_blind_review.data,
        review_visibility=form.review_visibility.data, submissions_published=form.submissions_published.data,
    )
    flash(_("The consultation's settings are saved."), "success")
    for warning in forum_date_warnings(consultation):
        flash(warning, "warning")
    return redirect(url_for("consultations.overview"))


def _phase_form_from(phase: Phase) -> PhaseForm:
    """The phase form filled from the stored phase (times as naive UTC for the datetime-local inputs)."""
    form = PhaseForm(obj=phase, formdata=None)
    form.opens_at.data = phase.opens_at.replace(tzinfo=None)
    form.closes_at.data = phase.closes_at.replace(tzinfo=None)
    form.version_id.data = phase.version_id
    return form


def _render_phase(phase: Phase, form: PhaseForm, extend_form: ExtendDeadlineForm):
    return render_template("consultations/edit_phase.html", phase=phase, form=form, extend_form=extend_form)


@bp.route("/phases/<int:phase_id>", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def edit_phase(phase_id: int):
    """The chair edits a phase's name, description and times."""
    phase = db.get_or_404(Phase, phase_id)
    if request.method == "GET":
        return _render_phase(phase, _phase_form_from(phase), ExtendDeadlineForm(formdata=None, version_id=phase.version_id))
    form = form_page(
        PhaseForm(),
        lambda: _render_phase(phase, form, ExtendDeadlineForm(formdata=None, version_id=phase.version_id)),
        saved=lambda: _phase_form_from(phase).data,
    )
    ensure_valid(form)
    update_phase(phase, actor=current_user, name=form.name.data, description=form.description.data,
                 opens_at=form.opens_at.data, closes_at=form.closes_at.data, expected_version=form.version_id.data,
                 shift_following=form.shift_following.data, allow_overlap=form.allow_overlap.data,
                 confirm_early_close=form.confirm_early_close.data)
    flash(_("The phase “%(name)s” is saved.", name=phase.label), "success")
    return redirect(url_for("consultations.show", consultation_id=phase.consultation_id))


@bp.route("/phases/<int:phase_id>/extend", methods=["POST"])
@role_required(Role.CHAIR)
def extend_phase(phase_id: int):
    """The chair extends a phase's deadline; everyone sees the new one at once."""
    phase = db.get_or_404(Phase, phase_id)
    extend_form = form_page(ExtendDeadlineForm(), lambda: _render_phase(phase, _phase_form_from(phase), extend_form),
                            saved=lambda: _phase_form_from(phase).data)
    ensure_valid(extend_form)
    extend_deadline(phase, closes_at=extend_form.closes_at.data, actor=current_user,
                    expected_version=extend_form.version_id.data, shift_following=extend_form.shift_following.data,
                    allow_overlap=extend_form.allow_overlap.data)
    flash(_("The deadline of “%(name)s” is extended.", name=phase.label), "success")
    return redirect(url_for("consultations.show", consultation_id=phase.consultation_id))
