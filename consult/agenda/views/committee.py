"""Routes of the committee's sessions: create, edit, people, pin."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.agenda import queries, services
from consult.agenda.merge_consents import consent_warnings
from consult.agenda.models import AgendaSession, SessionPerson
from consult.agenda.views import _session_or_404, bp
from consult.agenda.withdrawals import withdrawn_proposals_of
from consult.boundary import ensure_valid, form_page
from consult.clustering.models import Cluster
from consult.consultations.queries import consultation_or_404
from consult.errors import ValidationError
from consult.extensions import db
from consult.forms import as_choices
from consult.forms.agenda import (
    FromClusterForm,
    PersonForm,
    SessionForm,
    VersionOnlyForm,
)
from consult.views_helpers import page_number

# --- sessions (committee) --------------------------------------------------------------------------------

@bp.route("/sessions")
@role_required(Role.REVIEWER)
def sessions():
    """The sessions of the draft agenda, with clusters still to turn into sessions."""
    consultation = consultation_or_404()
    pagination = db.paginate(queries.sessions_select(consultation), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    cluster_form = FromClusterForm()
    cluster_form.cluster_id.choices = as_choices((c.id, c.title) for c in queries.clusters_without_session(consultation))
    return render_template("agenda/sessions.html", pagination=pagination, cluster_form=cluster_form,
                           frozen=queries.is_frozen(consultation), consent_warnings=consent_warnings(pagination.items))


@bp.route("/sessions/from-cluster", methods=["POST"])
@role_required(Role.REVIEWER)
def session_from_cluster():
    """Turn a cluster into a session."""
    consultation = consultation_or_404()
    form = FromClusterForm()
    form.cluster_id.choices = as_choices((c.id, c.title) for c in queries.clusters_without_session(consultation))
    form_page(None, sessions)
    if not form.validate_on_submit():
        raise ValidationError(_("Choose a cluster that has no session yet."))
    cluster = db.get_or_404(Cluster, form.cluster_id.data)
    session = services.create_session_from_cluster(cluster, actor=current_user)
    flash(_("The session “%(title)s” is created from its cluster.", title=session.title), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id))


def _session_fields(form: SessionForm) -> dict:
    return {"title": form.title.data, "description": form.description.data or "", "format_code": form.format_code.data,
            "track": form.track.data, "duration_minutes": form.duration_minutes.data,
            "expected_audience": form.expected_audience.data, "action_lines": form.action_lines.data or [],
            "sdgs": form.sdgs.data or [], "is_plenary": bool(form.is_plenary.data)}


@bp.route("/sessions/new", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def new_session():
    """A session made from scratch."""
    consultation = consultation_or_404()
    form = form_page(SessionForm(), lambda: render_template("agenda/new_session.html", form=form))
    if request.method == "GET":
        return render_template("agenda/new_session.html", form=form)
    ensure_valid(form)
    session = services.create_session(consultation, actor=current_user, **_session_fields(form))
    flash(_("The session is created."), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id))


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def edit_session(session_id: int):
    """Edit a session; its people are added and removed below the form."""
    session = _session_or_404(session_id)
    if request.method == "GET":
        return _render_edit(session)
    form = form_page(SessionForm(), lambda: _render_edit(_session_or_404(session_id), form),
                     saved=lambda: _session_data(_session_or_404(session_id)))
    ensure_valid(form)
    services.update_session(session, actor=current_user, expected_version=form.version_id.data, **_session_fields(form))
    flash(_("The session is saved."), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id))


def _session_data(session: AgendaSession) -> dict:
    """The session form's data as saved."""
    return {"title": session.title, "description": session.description, "format_code": session.format_code,
            "track": session.track.value, "duration_minutes": session.duration_minutes,
            "expected_audience": session.expected_audience, "action_lines": [tag.code for tag in session.action_lines],
            "sdgs": [tag.sdg for tag in session.sdgs], "version_id": session.version_id}


def _render_edit(session, form=None, person_form=None):
    form = form or SessionForm(formdata=None, data=_session_data(session))
    person_form = person_form or PersonForm(formdata=None, version_id=session.version_id)
    return render_template("agenda/edit_session.html", session=session, form=form, person_form=person_form,
                           withdrawn=withdrawn_proposals_of(session.id),
                           session_consents=consent_warnings([session]).get(session.id),
                           button_form=VersionOnlyForm(formdata=None, version_id=session.version_id))


@bp.route("/sessions/<int:session_id>/people", methods=["POST"])
@role_required(Role.REVIEWER)
def add_person(session_id: int):
    """Add an organizer, moderator or speaker."""
    session = _session_or_404(session_id)
    form = form_page(PersonForm(), lambda: _render_edit(_session_or_404(session_id), person_form=form),
                     saved=lambda: _session_or_404(session_id))
    ensure_valid(form)
    services.add_session_person(
        session, actor=current_user, expected_version=form.version_id.data, role=form.role.data,
        name=form.name.data, email=form.email.data or "", organization=form.organization.data or "",
        stakeholder_type=form.stakeholder_type.data or None, country=form.country.data or None,
        gender=form.gender.data or "", is_remote=form.is_remote.data)
    flash(_("%(name)s is added.", name=form.name.data), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id) + "#people")


@bp.route("/people/<int:person_id>/remove", methods=["POST"])
@role_required(Role.REVIEWER)
def remove_person(person_id: int):
    """Remove a person from a session."""
    person = db.get_or_404(SessionPerson, person_id)
    session = _session_or_404(person.session_id)
    form = VersionOnlyForm()
    form_page(None, lambda: _render_edit(_session_or_404(session.id)))
    services.remove_session_person(person, actor=current_user, expected_version=form.version_id.data)
    flash(_("%(name)s is removed.", name=person.name), "success")
    return redirect(url_for("agenda.edit_session", session_id=session.id) + "#people")
