"""Routes of the cluster workspace (reviewers and chair) and of the merge requests (submitters)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.accounts.models import Role
from consult.accounts.permissions import role_required
from consult.boundary import ensure_valid, form_page
from consult.clustering import consent, queries, workspace
from consult.clustering import jobs as suggestion_jobs
from consult.clustering import suggestions as suggesting
from consult.clustering.descriptions import describe_proposals
from consult.clustering.duplicates import near_duplicate_pairs
from consult.clustering.models import Cluster, ClusterSuggestion, ConsentState, MergeConsent
from consult.consultations.models import PhaseKind
from consult.consultations.queries import consultation_or_404, is_phase_open, row_of_current_or_404
from consult.errors import ValidationError
from consult.extensions import db
from consult.forms import as_choices
from consult.forms.clustering import (
    AcceptSuggestionForm,
    ClusterForm,
    ClusterMembersForm,
    ConsentAnswerForm,
    DeleteClusterForm,
    DuplicateForm,
    JoinSuggestionForm,
    MergeClustersForm,
    SuggestClustersForm,
)
from consult.jobs.models import WorkKind
from consult.jobs.pages import add_work_routes, work_page_context
from consult.reference import LANGUAGE_LABELS, in_reader_language
from consult.views_helpers import page_number

bp = Blueprint("clustering", __name__, url_prefix="/clusters")
add_work_routes(bp, kind=WorkKind.CLUSTER_SUGGESTIONS, guard=role_required(Role.REVIEWER),
                consultation_id=lambda: consultation_or_404().id, job_function=suggestion_jobs.SUGGEST_JOB,
                page_endpoint="clustering.suggestions", url_prefix="/suggestions/jobs")


@bp.app_context_processor
def _navigation_helpers():
    return {"pending_consent_count": queries.pending_consent_count}


def _cluster_or_404(cluster_id: int) -> Cluster:
    cluster = queries.load_cluster(cluster_id)
    consultation = consultation_or_404()
    if cluster is None or cluster.consultation_id != consultation.id:
        abort(404)
    return cluster


@bp.route("/")
@role_required(Role.REVIEWER)
def workspace_page():
    """Every cluster of the current consultation with its proposals, and the forms to start new ones."""
    consultation = consultation_or_404()
    pagination = db.paginate(queries.clusters_select(consultation.id), page=page_number(),
                             per_page=request.args.get("per_page", type=int) or 20, max_per_page=100)
    clusters = list(pagination.items)
    return render_template(
        "clustering/workspace.html", consultation=consultation, pagination=pagination, clusters=clusters,
        consent_counts=queries.consent_counts([cluster.id for cluster in clusters]),
        unclustered=queries.unclustered_count(consultation.id),
        is_open=is_phase_open(consultation, PhaseKind.AGENDA_DRAFTING),
        suggest_form=SuggestClustersForm(), create_form=ClusterForm(prefix="new"),
        organizations={cluster.id: consent.contributing_organizations([m.proposal for m in cluster.members])
                       for cluster in clusters},
    )


@bp.route("/suggest", methods=["POST"])
@role_required(Role.REVIEWER)
def suggest():
    """Compute suggested clusters of the proposals not yet clustered."""
    consultation = consultation_or_404()
    form = SuggestClustersForm()
    form_page(None, workspace_page)
    if not form.validate_on_submit():
        raise ValidationError(" ".join(str(error) for errors in form.errors.values() for error in errors))
    if suggestion_jobs.runs_as_job(consultation, form.scope.data):
        suggestion_jobs.request_suggestions(consultation, actor=current_user, scope=form.scope.data, k=form.k.data)
        flash(_("The suggestions are being computed in the background; this page shows their progress."), "info")
        return redirect(url_for("clustering.suggestions"))
    stored = suggesting.suggest_clusters(consultation, actor=current_user, scope=form.scope.data, k=form.k.data)
    flash(ngettext("%(num)d cluster suggested.", "%(num)d clusters suggested.", len(stored)), "success")
    return redirect(url_for("clustering.suggestions"))


def _member_choices(suggestion, proposals):
    # Each proposal with what it shares with the others: the committee sees why it is there.
    reasons = suggestion.member_reasons or {}
    return as_choices(
        (pid, " — ".join(part for part in (f"{proposals[pid].reference} {proposals[pid].title} "
                                           f"({LANGUAGE_LABELS[proposals[pid].language]})",
                                           in_reader_language(reasons.get(str(pid))))
                         if part))
        for pid in suggestion.proposal_ids if pid in proposals)


def _suggestion_forms(suggestions, proposals):
    forms = {}
    for suggestion in suggestions:
        form = AcceptSuggestionForm(prefix=f"s{suggestion.id}", formdata=None)
        form.proposal_ids.choices = _member_choices(suggestion, proposals)
        form.title.data = suggestion.title
        form.proposal_ids.data = [pid for pid in suggestion.proposal_ids if pid in proposals]
        forms[suggestion.id] = form
    return forms


def _render_suggestions(consultation, forms=None):
    suggestions = queries.latest_suggestions(consultation.id)
    proposals = queries.suggestion_proposals(suggestions)
    all_forms = _suggestion_forms(suggestions, proposals)
    all_forms.update(forms or {})
    by_position = {suggestion.position: suggestion for suggestion in suggestions}
    return render_template("clustering/suggestions.html", consultation=consultation, suggestions=suggestions,
                           forms=all_forms, proposals=proposals, by_position=by_position,
                           join_form=JoinSuggestionForm(),
                           is_open=is_phase_open(consultation, PhaseKind.AGENDA_DRAFTING),
                           **work_page_context(WorkKind.CLUSTER_SUGGESTIONS, consultation.id, "clustering"))


@bp.route("/suggestions")
@role_required(Role.REVIEWER)
def suggestions():
    """The suggestions of the latest run, each with its reasons and the form to accept it."""
    return _render_suggestions(consultation_or_404())


@bp.route("/suggestions/<int:suggestion_id>/accept", methods=["POST"])
@role_required(Role.REVIEWER)
def accept_suggestion(suggestion_id: int):
    """Make a cluster of a suggestion, in whole or in part."""
    consultation = consultation_or_404()
    suggestion = row_of_current_or_404(ClusterSuggestion, suggestion_id)
    form = form_page(AcceptSuggestionForm(prefix=f"s{suggestion.id}"),
                     lambda: _render_suggestions(consultation, {suggestion.id: form}))
    proposals = queries.suggestion_proposals([suggestion])
    form.proposal_ids.choices = _member_choices(suggestion, proposals)
    ensure_valid(form)
    cluster = suggesting.accept_suggestion(suggestion, actor=current_user, proposal_ids=form.proposal_ids.data,
                                           title=form.title.data)
    flash(_("The cluster “%(title)s” is created.", title=cluster.title), "success")
    return redirect(url_for("clustering.suggestions"))


@bp.route("/suggestions/<int:suggestion_id>/join", methods=["POST"])
@role_required(Role.REVIEWER)
def join_suggestion(suggestion_id: int):
    """Add a proposal that is like no group to the suggestion (or cluster) nearest to it."""
    consultation = consultation_or_404()
    suggestion = row_of_current_or_404(ClusterSuggestion, suggestion_id)
    form_page(None, lambda: _render_suggestions(consultation))
    ensure_valid(JoinSuggestionForm())
    target = suggesting.join_nearest(suggestion, actor=current_user)
    flash(_("Added to “%(title)s”.", title=target.title), "success")
    return redirect(url_for("clustering.suggestions", _anchor=f"suggestion-{target.id}"))


@bp.route("/new", methods=["POST"])
@role_required(Role.REVIEWER)
def create():
    """Create an empty cluster."""
    consultation = consultation_or_404()
    form = ClusterForm(prefix="new")
    form_page(None, workspace_page)
    if not form.validate_on_submit():
        raise ValidationError(_("Give the cluster a title."))
    cluster = workspace.create_cluster(consultation, actor=current_user, title=form.title.data,
                                       description=form.description.data or "")
    return redirect(url_for("clustering.cluster_page", cluster_id=cluster.id))


def _cluster_forms(cluster: Cluster) -> dict:
    others = as_choices(queries.other_clusters(cluster))
    members = as_choices((m.proposal_id, f"{m.proposal.reference} {m.proposal.title}") for m in cluster.members)
    edit = ClusterForm(formdata=None, obj=cluster)
    members_form = ClusterMembersForm(formdata=None)
    merge = MergeClustersForm(formdata=None)
    duplicate = DuplicateForm(formdata=None)
    delete = DeleteClusterForm(formdata=None)
    for form in (edit, members_form, merge, duplicate, delete):
        form.version_id.data = cluster.version_id
    return {"edit_form": edit, "members_form": members_form, "merge_form": merge, "duplicate_form": duplicate,
            "delete_form": delete, "_choices": (others, members)}


def _with_choices(forms: dict) -> dict:
    others, members = forms.pop("_choices")
    forms["members_form"].proposal_ids.choices = members
    forms["members_form"].target.choices = as_choices([("", _("Choose a cluster"))]) + others
    forms["merge_form"].other.choices = others
    forms["duplicate_form"].proposal_id.choices = members
    forms["duplicate_form"].duplicate_of_id.choices = as_choices([("", _("Not a duplicate"))]) + members
    return forms


def _render_cluster(cluster: Cluster, **submitted):
    forms = _cluster_forms(cluster)
    forms.update(submitted)
    forms = _with_choices(forms)
    proposals = [member.proposal for member in cluster.members]
    titles = {proposal.id: proposal for proposal in proposals}
    # An original marked before it left the cluster (or set outside the workspace) is still named, not a 500.
    originals = {member.duplicate_of_id for member in cluster.members if member.duplicate_of_id} - titles.keys()
    titles.update(queries.proposals_by_id(originals))
    return render_template(
        "clustering/cluster.html", cluster=cluster, proposals=titles,
        consents=queries.consents_of_cluster(cluster.id), consent_labels=consent.CONSENT_STATE_LABELS,
        organizations=consent.contributing_organizations(proposals), duplicates=near_duplicate_pairs(proposals),
        member_reasons=describe_proposals(proposals).member_reasons,
        is_open=is_phase_open(consultation_or_404(), PhaseKind.AGENDA_DRAFTING), **forms,
    )


def _cluster_form(cluster_id: int, form_name: str, form):
    """Declare the cluster's page as the page of form: shown again as it is now, with what the user typed in form."""
    return form_page(form, lambda: _render_cluster(_cluster_or_404(cluster_id), **{form_name: form}),
                     saved=lambda: _cluster_or_404(cluster_id))


@bp.route("/<int:cluster_id>", methods=["GET", "POST"])
@role_required(Role.REVIEWER)
def cluster_page(cluster_id: int):
    """A cluster: its proposals, reasons, answers to merge requests; rename and describe it."""
    cluster = _cluster_or_404(cluster_id)
    if request.method == "GET":
        return _render_cluster(cluster)
    form = _cluster_form(cluster_id, "edit_form", ClusterForm())
    ensure_valid(form)
    workspace.update_cluster(cluster, actor=current_user, expected_version=form.version_id.data,
                             title=form.title.data, description=form.description.data or "")
    flash(_("The cluster “%(title)s” is saved.", title=cluster.title), "success")
    return redirect(url_for("clustering.cluster_page", cluster_id=cluster.id))


@bp.route("/<int:cluster_id>/members", methods=["POST"])
@role_required(Role.REVIEWER)
def change_members(cluster_id: int):
    """Move, split off or take out the ticked proposals."""
    cluster = _cluster_or_404(cluster_id)
    form = _cluster_form(cluster_id, "members_form", ClusterMembersForm())
    form.proposal_ids.choices = _cluster_forms(cluster)["_choices"][1]
    ensure_valid(form)
    if form.operation.data == "move":
        target = db.session.get(Cluster, form.target.data) if form.target.data else None
        if target is None:
            raise ValidationError(_("Choose another cluster of this consultation."), field="target")
        destination = workspace.move_proposals(cluster, actor=current_user, expected_version=form.version_id.data,
                                               proposal_ids=form.proposal_ids.data, target=target)
    elif form.operation.data == "split":
        destination = workspace.split_cluster(cluster, actor=current_user, expected_version=form.version_id.data,
                                              proposal_ids=form.proposal_ids.data, title=form.new_title.data)
    else:
        destination = workspace.remove_proposals(cluster, actor=current_user, expected_version=form.version_id.data,
                                                 proposal_ids=form.proposal_ids.data)
    flash(ngettext("Done: %(num)d proposal.", "Done: %(num)d proposals.", len(form.proposal_ids.data)), "success")
    return redirect(
        url_for("clustering.cluster_page", cluster_id=destination.id if form.operation.data == "split" else cluster_id)
    )


@bp.route("/<int:cluster_id>/merge", methods=["POST"])
@role_required(Role.REVIEWER)
def merge(cluster_id: int):
    """Merge another cluster into this one."""
    cluster = _cluster_or_404(cluster_id)
    form = _cluster_form(cluster_id, "merge_form", MergeClustersForm())
    ensure_valid(form)
    other = db.session.get(Cluster, form.other.data) if form.other.data else None
    if other is None:
        raise ValidationError(_("Choose another cluster of this consultation."), field="other")
    workspace.merge_clusters(cluster, actor=current_user, expected_version=form.version_id.data, other=other)
    flash(_("The clusters are merged."), "success")
    return redirect(url_for("clustering.cluster_page", cluster_id=cluster_id))


@bp.route("/<int:cluster_id>/duplicate", methods=["POST"])
@role_required(Role.REVIEWER)
def mark_duplicate(cluster_id: int):
    """Mark a proposal of the cluster a duplicate of another (or clear the mark)."""
    cluster = _cluster_or_404(cluster_id)
    form = _cluster_form(cluster_id, "duplicate_form", DuplicateForm())
    ensure_valid(form)
    workspace.mark_duplicate(cluster, actor=current_user, expected_version=form.version_id.data,
                             proposal_id=form.proposal_id.data, duplicate_of_id=form.duplicate_of_id.data or None)
    flash(_("The duplicate mark is saved."), "success")
    return redirect(url_for("clustering.cluster_page", cluster_id=cluster_id))


@bp.route("/<int:cluster_id>/delete", methods=["POST"])
@role_required(Role.REVIEWER)
def delete(cluster_id: int):
    """Delete a cluster; its proposals become unclustered."""
    cluster = _cluster_or_404(cluster_id)
    form = _cluster_form(cluster_id, "delete_form", DeleteClusterForm())
    ensure_valid(form)
    workspace.delete_cluster(cluster, actor=current_user, expected_version=form.version_id.data)
    flash(_("The cluster is deleted."), "success")
    return redirect(url_for("clustering.workspace_page"))


def _consent_forms(consents, submitted=None):
    forms = {consent.id: ConsentAnswerForm(prefix=f"c{consent.id}", formdata=None) for consent in consents
             if consent.state is ConsentState.PENDING}
    forms.update(submitted or {})
    return forms


def consents(submitted=None):
    """The signed-in submitter's merge requests, pending first, with the forms to answer them."""
    mine = queries.consents_of_user(current_user)
    return render_template("clustering/consents.html", consents=mine, forms=_consent_forms(mine, submitted),
                           labels=consent.CONSENT_STATE_LABELS,
                           organizations={c.id: consent.contributing_organizations([m.proposal for m in c.cluster.members])
                                          for c in mine})


def answer_consent(consent_id: int):
    """The submitter accepts or declines one merge request."""
    request_consent = db.get_or_404(MergeConsent, consent_id)
    if not consent.can_answer_consent(current_user, request_consent):
        abort(403)
    form = form_page(ConsentAnswerForm(prefix=f"c{request_consent.id}"), lambda: consents({request_consent.id: form}))
    ensure_valid(form)
    consent.answer_merge_consent(request_consent, actor=current_user, accept=form.answer.data == "accept",
                                 comment=form.comment.data or "")
    flash(_("Thank you: your answer is sent to the committee."), "success")
    return redirect(url_for("clustering.consents"))


@bp.record_once
def _register_consent_routes(state):
    # The merge requests belong to the review area's URLs (/review/consents/) though they live here, beside the
    # clusters they are about; the endpoints keep this blueprint's name.
    state.app.add_url_rule("/review/consents/", endpoint="clustering.consents", view_func=login_required(consents))
    state.app.add_url_rule("/review/consents/<int:consent_id>", endpoint="clustering.answer_consent",
                           view_func=login_required(answer_consent), methods=["POST"])
