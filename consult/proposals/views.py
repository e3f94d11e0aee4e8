"""Routes of the proposals area: stakeholder flows, the public list, the chair's overview, export and import."""
import secrets

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.consultations.gates import ensure_phase_open
from consult.consultations.models import PhaseKind
from consult.consultations.queries import consultation_or_404
from consult.consultations.times import phase_window
from consult.extensions import db
from consult.forms import as_choices
from consult.forms.proposals import (
    MAX_SPEAKERS,
    ChairProposalFilterForm,
    ConfirmImportForm,
    ImportForm,
    ProposalFilterForm,
    ProposalForm,
    WithdrawForm,
)
from consult.pagecache import cached_for_visitors
from consult.proposals import listing, queries, services
from consult.proposals.classification import (
    count_to_classify,
    labels_json,
    suggest_labels_for_proposal,
    suggest_labels_for_texts,
)
from consult.proposals.contact import can_contact
from consult.proposals.export import proposals_csv
from consult.proposals.import_previews import confirm_import_preview, store_import_preview
from consult.proposals.importing import COLUMNS, REQUIRED_COLUMNS, import_proposals
from consult.proposals.models import (
    DECISION_LABELS,
    PROPOSAL_KIND_LABELS,
    PROPOSAL_STATUS_LABELS,
    Proposal,
    ProposalStatus,
)
from consult.proposals.permissions import (
    can_edit_proposal,
    can_see_identity,
    can_see_revisions,
    can_view_proposal,
    can_withdraw_proposal,
    is_submitter,
)
from consult.proposals.revisions import diff_revisions
from consult.proposals.services import (
    ProposalContent,
    create_proposal,
    missing_for_submission,
    submission_problems,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from consult.proposals.similarity import find_similar_proposals, is_alone_in_language, proposal_text
from consult.proposals.withdrawal import withdrawal_consequences
from consult.tabular import CSV_MIMETYPE
from consult.views_helpers import page_number

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(PROPOSAL_KIND_LABELS=PROPOSAL_KIND_LABELS, PROPOSAL_STATUS_LABELS=PROPOSAL_STATUS_LABELS,
                                       DECISION_LABELS=DECISION_LABELS, PhaseKind=PhaseKind,
                                       can_see_identity=can_see_identity)

EXPORT_LIMIT = 20000



def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = queries.proposal_with_details(proposal_id)
    if proposal is None:
        abort(404)
    return proposal


def _content_from_form(form: ProposalForm) -> ProposalContent:
    return ProposalContent(
        kind=form.kind.data, title=form.title.data or "", summary=form.summary.data or "",
        description=form.description.data or "", keywords=form.keywords.data or "", forum_part=form.forum_part.data,
        action_lines=list(form.action_lines.data or []), sdgs=list(form.sdgs.data or []),
        format_code=form.format_code.data or None, format_other=form.format_other.data or "",
        is_binding_request=bool(form.is_binding_request.data),
        duration_minutes=int(form.duration_minutes.data) if form.duration_minutes.data else None,
        expected_audience=form.expected_audience.data, has_remote_participation=bool(form.has_remote_participation.data),
        speakers=form.filled_speakers(), language=form.language.data or "",
    )


def _form_data(proposal: Proposal) -> dict:
    content = ProposalContent.of(proposal)
    data = {**content.__dict__, "duration_minutes": str(content.duration_minutes or ""),
            "format_code": content.format_code or "", "version_id": str(proposal.version_id)}
    blank_rows = 1 if len(content.speakers) < MAX_SPEAKERS else 0
    data["speakers"] = [{**speaker, "stakeholder_type": speaker["stakeholder_type"] or "", "country": speaker["country"] or ""}
                        for speaker in content.speakers] + [{}] * blank_rows
    return data


def _render_form(form: ProposalForm, proposal: Proposal | None, status: int = 200, focus_row: str = ""):
    consultation = proposal.consultation if proposal is not None else consultation_or_404()
    window, when = phase_window(consultation, PhaseKind.CALL_OPEN)
    # Read from the typed text alone: a form re-shown with invalid fields (a duration of ":") still renders.
    detected = services.detected_language_of_text(form.title.data, form.summary.data, form.description.data)
    if not form.language.data and detected and proposal is None:
        form.language.data = detected  # pre-filled with what the text reads as: the submitter confirms it
    return render_template("proposals/form.html", form=form, proposal=proposal, max_speakers=MAX_SPEAKERS,
                           call_window=window, call_when=when, detected_language=detected, focus_row=focus_row), status


def _mark_missing(form: ProposalForm, proposal: Proposal) -> None:
    """Show beside each field what the saved draft still lacks before it can be submitted."""
    for name, message in missing_for_submission(ProposalContent.of(proposal)).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [_("Needed to submit: %(message)s", message=message)]


def _add_speaker_row(form: ProposalForm) -> str:
    """Add an empty speaker row; returns its id, for the page to put the focus in it."""
    if len(form.speakers) < MAX_SPEAKERS:
        return form.speakers.append_entry().id
    form.speakers.errors = [_("At most %(max)d speakers.", max=MAX_SPEAKERS)]
    return ""


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Start a proposal; the form carries a one-time token so that a repeated POST makes one draft only."""
    consultation = consultation_or_404()
    form = form_page(ProposalForm(), lambda: _render_form(_with_sound_token(form), None), keep_when_closed=True)
    if request.method == "GET":
        ensure_phase_open(consultation, PhaseKind.CALL_OPEN)
        form.creation_token.data = secrets.token_urlsafe(24)
        if request.args.get("kind") == "format":
            form.kind.data = "format"
        return _render_form(form, None)
    if form.add_speaker.data:
        return _render_form(form, None, focus_row=_add_speaker_row(form))
    ensure_valid(form)
    proposal = create_proposal(consultation, submitter=current_user, content=_content_from_form(form),
                               creation_token=form.creation_token.data)
    return _after_save(proposal, form)


def _with_sound_token(form: ProposalForm) -> ProposalForm:
    """The form with a fresh creation token when the one sent was damaged, so that sending it again works."""
    if form.creation_token.errors:
        form.creation_token.data = secrets.token_urlsafe(24)
    return form


def _after_save(proposal: Proposal, form: ProposalForm):
    if form.preview.data:
        return redirect(url_for("proposals.preview", proposal_id=proposal.id), 303)
    if proposal.status is ProposalStatus.SUBMITTED:
        flash(_("Your changes are saved. The committee sees the new version."), "success")
        return redirect(url_for("proposals.show", proposal_id=proposal.id), 303)
    if missing_for_submission(ProposalContent.of(proposal)):
        flash(_("Your draft is saved. What it still needs before you can submit it is marked below."), "success")
        return redirect(url_for("proposals.edit", proposal_id=proposal.id, checked=1), 303)
    flash(_("Your draft is saved and complete. Preview it to submit it."), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id), 303)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int):
    """Edit a draft, or a submitted proposal until the deadline."""
    proposal = _proposal_or_404(proposal_id)
    if not can_view_proposal(current_user, proposal):
        abort(404)
    if not can_edit_proposal(current_user, proposal):
        abort(403)
    if request.method == "GET":
        form = ProposalForm(data=_form_data(proposal))
        if request.args.get("checked") and proposal.status is ProposalStatus.DRAFT:
            _mark_missing(form, proposal)
        return _render_form(form, proposal)
    form = form_page(ProposalForm(), lambda: _render_form(form, proposal), saved=lambda: _form_data(proposal),
                     keep_when_closed=True)
    if form.add_speaker.data:
        return _render_form(form, proposal, focus_row=_add_speaker_row(form))
    ensure_valid(form)
    update_proposal(proposal, actor=current_user, content=_content_from_form(form), expected_version=form.version_id.data)
    return _after_save(proposal, form)


@bp.route("/<int:proposal_id>/preview")
@login_required
def preview(proposal_id: int):
    """A draft as the committee will read it, with similar submitted proposals, before it is submitted."""
    proposal = _proposal_or_404(proposal_id)
    if not is_submitter(current_user, proposal):
        abort(404)
    text = " ".join((proposal.title, proposal.summary, proposal.description, proposal.keywords))
    similar = find_similar_proposals(proposal.consultation_id, text, action_lines=proposal.action_line_codes,
                                     sdgs=proposal.sdg_numbers, exclude_id=proposal.id, limit=5,
                                     language=proposal.language)
    alone = not similar and is_alone_in_language(proposal.consultation_id, proposal.language, exclude_id=proposal.id)
    window, when = phase_window(proposal.consultation, PhaseKind.CALL_OPEN)
    missing = submission_problems(ProposalContent.of(proposal)) if proposal.status is ProposalStatus.DRAFT else {}
    labels = {name: field.label.text for name, field in ProposalForm(formdata=None)._fields.items()}
    # Other stakeholders' proposals show only as the publication rule lets this stakeholder read them.
    shown = [(other, score) for other, score in similar if can_view_proposal(current_user, other)]
    (suggested,) = suggest_labels_for_texts(proposal.consultation_id, [proposal_text(proposal)], [proposal.language])
    return render_template("proposals/preview.html", proposal=proposal, similar=shown, alone_in_language=alone,
                           unpublished=len(similar) - len(shown), call_open=window == "open",
                           call_window=window, call_when=when, labels=labels_json(suggested),
                           contactable={other.id for other, _score in shown if can_contact(current_user, proposal, other)},
                           missing=[(name, labels.get(name, name), message) for name, message in missing.items()])


@bp.route("/<int:proposal_id>/submit", methods=["POST"])
@login_required
def submit(proposal_id: int):
    """Submit a draft; after the deadline the service refuses with the reason."""
    proposal = _proposal_or_404(proposal_id)
    if not is_submitter(current_user, proposal):
        abort(404)
    if proposal.status is ProposalStatus.SUBMITTED:
        # Sent twice (a double click, a reload): the first one submitted it.
        return redirect(url_for("proposals.submitted", proposal_id=proposal.id), 303)
    # Saved meanwhile (another tab): what is submitted must be what was previewed, so the current preview again.
    form_page(None, lambda: preview(proposal_id))
    services.ensure_previewed_version(proposal, expected_version=request.form.get("version_id"), actor=current_user)
    # A refusal shows the draft's form with every problem beside its field.
    form = form_page(ProposalForm(data=_form_data(proposal), formdata=None), lambda: _render_form(form, proposal))
    submit_proposal(proposal, actor=current_user)
    return redirect(url_for("proposals.submitted", proposal_id=proposal.id), 303)


@bp.route("/<int:proposal_id>/submitted")
@login_required
def submitted(proposal_id: int):
    """Confirmation after submission: the reference, the deadline for changes and what happens next.

    The address stays in the browser's history: opened again once the proposal is withdrawn, it says so instead.
    """
    proposal = _proposal_or_404(proposal_id)
    if not is_submitter(current_user, proposal) or proposal.status is ProposalStatus.DRAFT:
        abort(404)
    window, when = phase_window(proposal.consultation, PhaseKind.CALL_OPEN)
    return render_template("proposals/submitted.html", proposal=proposal, call_open=window == "open",
                           call=proposal.consultation.phase(PhaseKind.CALL_OPEN))


@bp.route("/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(proposal_id: int):
    """Withdraw a submitted proposal, optionally saying why."""
    proposal = _proposal_or_404(proposal_id)
    if not can_view_proposal(current_user, proposal):
        abort(404)
    if not is_submitter(current_user, proposal):
        abort(403)
    if not can_withdraw_proposal(current_user, proposal):
        form_page(None, lambda: show(proposal_id))  # a draft or a withdrawn proposal: why not, on its own page
        services.ensure_withdrawable(proposal)
    form = form_page(WithdrawForm(), lambda: _render_withdraw(form, proposal))
    if request.method == "GET":
        return _render_withdraw(form, proposal)
    ensure_valid(form)
    withdraw_proposal(proposal, actor=current_user, reason=form.reason.data or "",
                      accept_consequences=bool(form.accept_consequences.data))
    flash(_("The proposal “%(title)s” is withdrawn.", title=proposal.title), "success")
    return redirect(url_for("proposals.mine"), 303)


@bp.route("/<int:proposal_id>/delete", methods=["POST"])
@login_required
def delete_draft(proposal_id: int):
    """Delete a draft that was never submitted."""
    proposal = _proposal_or_404(proposal_id)
    if not is_submitter(current_user, proposal):
        abort(404)
    form_page(None, lambda: show(proposal_id))
    title = proposal.title
    services.delete_draft(proposal, actor=current_user)
    flash(_("The draft “%(title)s” is deleted.", title=title), "success")
    return redirect(url_for("proposals.mine"), 303)


def _render_withdraw(form: WithdrawForm, proposal: Proposal):
    """The withdrawal page, with what withdrawing would leave behind in clusters and sessions (and its checkbox)."""
    consequences = withdrawal_consequences(proposal)
    if not consequences:
        del form.accept_consequences
    return render_template("proposals/withdraw.html", form=form, proposal=proposal, consequences=consequences)


@bp.route("/<int:proposal_id>")
def show(proposal_id: int):
    """A proposal for its submitter, the committee, or everyone once the submissions are published."""
    proposal = _proposal_or_404(proposal_id)
    if not can_view_proposal(current_user, proposal):
        abort(404)
    is_owner = is_submitter(current_user, proposal)
    window, when = phase_window(proposal.consultation, PhaseKind.CALL_OPEN)
    return render_template("proposals/show.html", proposal=proposal, is_owner=is_owner,
                           can_edit=can_edit_proposal(current_user, proposal) and window == "open",
                           call_window=window, call_when=when,
                           changes=_revision_changes(proposal)
                           if is_owner and proposal.status is not ProposalStatus.DRAFT else [])


@bp.route("/mine")
@login_required
def mine():
    """The signed-in stakeholder's proposals with their status, decision and what happens next."""
    consultation = consultation_or_404()
    pagination = db.paginate(queries.my_proposals_select(consultation.id, current_user.id), page=page_number(),
                             per_page=current_app.config["PAGE_SIZE"], error_out=False)
    window, when = phase_window(consultation, PhaseKind.CALL_OPEN)
    return render_template("proposals/mine.html", pagination=pagination, call_open=window == "open",
                           call_window=window, call_when=when, proposal=None,
                           call=consultation.phase(PhaseKind.CALL_OPEN))


@bp.route("/")
@cached_for_visitors()
def index():
    """The published proposals: search and filters, paginated."""
    consultation = consultation_or_404()
    form = ProposalFilterForm(request.args)
    form.validate()
    pagination = None
    if consultation.submissions_published:
        filters = queries.ProposalFilters.from_form(form)
        language_counts, pagination = listing.public_list(consultation.id, filters, page=page_number(),
                                                          per_page=current_app.config["PAGE_SIZE"])
        form.language.choices = as_choices(queries.language_choices(language_counts, _("Any language")))
    return render_template("proposals/index.html", form=form, pagination=pagination)


@bp.route("/chair")
@role_required(Role.CHAIR)
def chair_overview():
    """The chair's counts by kind, stakeholder type, region, action line and SDG, and the filtered list."""
    consultation = consultation_or_404()
    form = ChairProposalFilterForm(request.args)
    form.validate()
    filters = queries.ProposalFilters.from_form(form)
    counts, pagination = listing.chair_list(consultation.id, filters, page=page_number(),
                                            per_page=current_app.config["PAGE_SIZE"])
    return render_template("proposals/chair_overview.html", form=form, pagination=pagination, counts=counts)


@bp.route("/chair/export.csv")
@role_required(Role.CHAIR)
def chair_export():
    """The chair's filtered list as CSV for Excel."""
    consultation = consultation_or_404()
    form = ChairProposalFilterForm(request.args)
    form.validate()
    query = queries.chair_proposals_select(consultation.id, queries.ProposalFilters.from_form(form)).limit(EXPORT_LIMIT)
    body = proposals_csv(db.session.execute(query).scalars())
    filename = f"proposals-{consultation.year}.csv"
    return Response(body, mimetype=CSV_MIMETYPE, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/chair/<int:proposal_id>")
@role_required(Role.CHAIR)
def chair_show(proposal_id: int):
    """A proposal for the chair, with every revision and what changed in each."""
    proposal = _proposal_or_404(proposal_id)
    if not can_see_revisions(current_user, proposal):
        abort(404)
    return render_template("proposals/chair_show.html", proposal=proposal, changes=_revision_changes(proposal),
                           labels=labels_json(suggest_labels_for_proposal(proposal)))


def _revision_changes(proposal: Proposal) -> list:
    """Each revision, newest first, with the fields it changed."""
    revisions = queries.revisions_of(proposal.id)
    changes = [(revision, diff_revisions(revisions[index - 1].data if index else None, revision.data))
               for index, revision in enumerate(revisions)]
    return list(reversed(changes))


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.CHAIR)
def import_file():
    """Upload a CSV or XLSX file and see every row checked before anything is imported."""
    consultation = consultation_or_404()
    form = ImportForm()
    result = confirm_form = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        result = import_proposals(consultation, filename=upload.filename, data=data, source=form.source.data,
                                  dry_run=True)
        if result.is_valid:
            preview = store_import_preview(consultation, filename=upload.filename, data=data, source=form.source.data,
                                           actor=current_user)
            confirm_form = ConfirmImportForm(token=preview.token, source=form.source.data)
    status = 422 if form.is_submitted() and (form.errors or (result and not result.is_valid)) else 200
    return _render_import(form, result, confirm_form), status


def _render_import(form: ImportForm, result=None, confirm_form=None):
    return render_template("proposals/import.html", form=form, result=result, confirm_form=confirm_form,
                           columns=COLUMNS, required=REQUIRED_COLUMNS)


@bp.route("/import/confirm", methods=["POST"])
@role_required(Role.CHAIR)
def import_confirm():
    """Import a file checked on the previous page (once: a repeated confirmation answers as the first did)."""
    consultation = consultation_or_404()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    form_page(None, lambda: _render_import(ImportForm(formdata=None)))
    batch, _result = confirm_import_preview(consultation, token=form.token.data, actor=current_user)
    flash(ngettext("%(num)d proposal imported from “%(source)s”.", "%(num)d proposals imported from “%(source)s”.",
                   batch.row_count, source=form.source.data), "success")
    to_classify = count_to_classify(consultation.id)
    if to_classify:
        flash(ngettext("%(num)d proposal has no action line yet: it awaits the committee in “To classify”.",
                       "%(num)d proposals have no action line yet: they await the committee in “To classify”.",
                       to_classify), "info")
    return redirect(url_for("proposals.chair_overview", source=form.source.data), 303)
