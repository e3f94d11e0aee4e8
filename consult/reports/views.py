"""Routes of the reports area: PDF builds and their settings for the chair, data exports, the published agenda as JSON."""
from io import BytesIO

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consult import tabular
from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.agenda import feeds
from consult.agenda import queries as agenda_queries
from consult.boundary import ensure_valid, form_page
from consult.consultations.queries import consultation_or_404
from consult.extensions import db
from consult.forms.reports import BuildForm, LogoForm, ReportSettingsForm
from consult.i18n import LANGUAGES, current_language, language_choices
from consult.reports import exports, queries, services
from consult.reports.models import JobState, ReportJob, ReportKind, ReportLogo
from consult.views_helpers import page_number

bp = Blueprint("reports", __name__, url_prefix="/reports")

# What each build button starts: (kind, draft preview) pairs.
BUILDS = {
    "agenda": ((ReportKind.AGENDA, False),),
    "agenda-preview": ((ReportKind.AGENDA, True),),
    "outcomes": ((ReportKind.OUTCOMES, False),),
    "brief": ((ReportKind.BRIEF, False),),
    "both": ((ReportKind.AGENDA, False), (ReportKind.OUTCOMES, False)),
}



def _job_or_404(job_id: int) -> ReportJob:
    job = db.get_or_404(ReportJob, job_id)
    if job.consultation_id != consultation_or_404().id:
        abort(404)
    return job


def job_status(job: ReportJob) -> dict:
    """What the chair's page shows of a job, also served as JSON for the polling script."""
    return {
        "id": job.id, "kind": job.kind.value, "language": job.language, "state": job.state.value,
        "state_label": job.state.label, "progress": job.progress,
        "message": job.message, "page_count": job.page_count, "is_stalled": services.is_stalled(job),
        "download_url": url_for("reports.download", job_id=job.id) if job.state is JobState.DONE else None,
    }


def _settings_form(consultation) -> ReportSettingsForm:
    settings = queries.report_settings(consultation.id)
    return ReportSettingsForm(data={"document_symbol": settings.document_symbol, "status": settings.status.value,
                                    "declined_in_annex": settings.declined_in_annex.value,
                                    "is_naming_submitters": settings.is_naming_submitters,
                                    "is_listing_withdrawn": settings.is_listing_withdrawn})


def _build_form() -> BuildForm:
    """The build form, its language the reader's own unless the chair picked another (a post without one keeps it)."""
    form = BuildForm(data={"language": current_language().code})
    form.language.choices = language_choices()
    return form


def _index_page(consultation, *, settings_form: ReportSettingsForm | None = None, logo_form: LogoForm | None = None,
                build_form: BuildForm | None = None):
    jobs_page = db.paginate(
        db.select(ReportJob).where(ReportJob.consultation_id == consultation.id).order_by(ReportJob.id.desc()),
        page=page_number(), per_page=current_app.config["PAGE_SIZE"], error_out=False,
    )
    stalled = {job.id for job in jobs_page.items if services.is_stalled(job)}
    is_busy = any(job.state in services.ACTIVE_STATES and job.id not in stalled for job in jobs_page.items)
    return render_template("reports/index.html", jobs=jobs_page, is_busy=is_busy, stalled=stalled,
                           has_published_agenda=queries.latest_published_version(consultation.id) is not None,
                           settings_form=settings_form or _settings_form(consultation),
                           logo_form=logo_form or LogoForm(), logos=queries.report_logos(consultation.id),
                           build_form=build_form or _build_form(), language_names=LANGUAGES)


@bp.route("/")
@role_required(Role.CHAIR)
def index():
    """Build the PDFs, follow their progress, download them; what the documents publish; links to the exports."""
    return _index_page(consultation_or_404())


@bp.route("/settings", methods=["POST"])
@role_required(Role.CHAIR)
def save_settings():
    """Save the document symbol, status and annex privacy of the published documents."""
    consultation = consultation_or_404()
    form = form_page(ReportSettingsForm(), lambda: _index_page(consultation, settings_form=form))
    ensure_valid(form)
    services.save_report_settings(consultation, actor=current_user, **{
        name: getattr(form, name).data for name in ("document_symbol", "status", "declined_in_annex",
                                                    "is_naming_submitters", "is_listing_withdrawn")})
    flash(_("The report settings are saved; they apply to the next build."), "success")
    return redirect(url_for("reports.index"))


@bp.route("/logos", methods=["POST"])
@role_required(Role.CHAIR)
def add_logo():
    """Upload an organiser's logo for the cover and page header."""
    consultation = consultation_or_404()
    form = form_page(LogoForm(), lambda: _index_page(consultation, logo_form=form))
    ensure_valid(form)
    upload = form.logo.data
    services.add_report_logo(consultation, actor=current_user, organiser=form.organiser.data,
                             data=upload.read() if upload else b"", filename=getattr(upload, "filename", "") or "")
    flash(_("The logo is added."), "success")
    return redirect(url_for("reports.index"))


def _logo_or_404(logo_id: int) -> ReportLogo:
    logo = db.get_or_404(ReportLogo, logo_id)
    if logo.consultation_id != consultation_or_404().id:
        abort(404)
    return logo


@bp.route("/logos/<int:logo_id>")
@role_required(Role.CHAIR)
def logo_image(logo_id: int):
    """A stored logo, for the chair's preview (served as an image that can run nothing)."""
    logo = _logo_or_404(logo_id)
    response = current_app.response_class(logo.data, mimetype=logo.mime_type)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/logos/<int:logo_id>/delete", methods=["POST"])
@role_required(Role.CHAIR)
def remove_logo(logo_id: int):
    """Delete an organiser's logo."""
    services.remove_report_logo(_logo_or_404(logo_id), actor=current_user)
    flash(_("The logo is removed."), "success")
    return redirect(url_for("reports.index"))


@bp.route("/build/<kind>", methods=["POST"])
@role_required(Role.CHAIR)
def build(kind: str):
    """Queue one PDF build, or both, in the chosen language and start them in the background."""
    consultation = consultation_or_404()
    if kind not in BUILDS:
        abort(404)
    form = form_page(_build_form(), lambda: _index_page(consultation, build_form=form))
    ensure_valid(form)
    for report_kind, preview in BUILDS[kind]:
        services.request_report_build(consultation, kind=report_kind, requested_by=current_user, draft_preview=preview,
                                      language=form.language.data)
    flash(_("The build has started. This page shows its progress; the PDF is ready to download when it is done."), "info")
    return redirect(url_for("reports.index"))


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@role_required(Role.CHAIR)
def retry(job_id: int):
    """Queue a failed or stalled build again (its worker died or it crashed)."""
    services.retry_report_build(_job_or_404(job_id), actor=current_user)
    flash(_("The build was queued again."), "info")
    return redirect(url_for("reports.index"))


@bp.route("/jobs/<int:job_id>/status.json")
@role_required(Role.CHAIR)
def status(job_id: int):
    """A job's state and progress, for the page's polling script."""
    response = jsonify(job_status(_job_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/download")
@role_required(Role.CHAIR)
def download(job_id: int):
    """The finished PDF of a job."""
    job = _job_or_404(job_id)
    if job.state is not JobState.DONE or job.document is None:
        abort(404)
    name = f"{job.kind.value}-{job.language}-{job.created_at:%Y%m%d-%H%M}.pdf"
    return send_file(BytesIO(job.document), mimetype="application/pdf", as_attachment=True, download_name=name)


def _table_response(header, rows, *, fmt: str, name: str):
    if fmt == "csv":
        body, mimetype = tabular.csv_bytes(header, rows), tabular.CSV_MIMETYPE
    elif fmt == "xlsx":
        body, mimetype = tabular.xlsx_bytes(header, rows, sheet_title=name), tabular.XLSX_MIMETYPE
    else:
        abort(404)
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.route("/export/submissions.<fmt>")
@role_required(Role.CHAIR)
def export_submissions(fmt: str):
    """Every submission as CSV or XLSX, in the import format plus outcome columns."""
    header, rows = exports.submission_rows(consultation_or_404().id)
    return _table_response(header, rows, fmt=fmt, name="submissions")


@bp.route("/export/reviews.<fmt>")
@role_required(Role.CHAIR)
def export_reviews(fmt: str):
    """Every review with its scores as CSV or XLSX."""
    header, rows = exports.review_rows(consultation_or_404().id)
    return _table_response(header, rows, fmt=fmt, name="reviews")


def _chair_agenda(consultation):
    """The working sessions, or (?source=published) the latest published version, as the chair sees them."""
    if request.args.get("source") != "published":
        return None, agenda_queries.working_snapshot(consultation)
    version, snapshot = agenda_queries.latest_snapshot(consultation)
    if version is None:
        abort(404)
    return version, snapshot


def _session_url(session_id: int) -> str:
    return url_for("agenda.public_session", session_id=session_id, _external=True)


@bp.route("/export/agenda.json")
@role_required(Role.CHAIR)
def export_agenda_json():
    """The working agenda (or ?source=published: the latest published one) in the shape of the public JSON."""
    consultation = consultation_or_404()
    version, snapshot = _chair_agenda(consultation)
    response = jsonify(feeds.agenda_json(consultation, version, snapshot, session_url=_session_url,
                                         agenda_url=url_for("agenda.public_agenda", _external=True),
                                         ical_url=url_for("agenda.calendar", _external=True)))
    response.headers["Content-Disposition"] = 'attachment; filename="agenda.json"'
    return response


@bp.route("/export/agenda.ics")
@role_required(Role.CHAIR)
def export_agenda_ics():
    """The working agenda (or ?source=published) as the public iCalendar feed writes it."""
    consultation = consultation_or_404()
    version, snapshot = _chair_agenda(consultation)
    body = feeds.agenda_ical(consultation, version, snapshot, session_url=_session_url,
                             host=request.host.split(":")[0] or "consult")
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="agenda.ics"'
    return response


@bp.route("/agenda.json")
def published_agenda_json():
    """The public agenda JSON lives at one address, the agenda's own: this older address leads there."""
    return redirect(url_for("agenda.published_json"), 308)
