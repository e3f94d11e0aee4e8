"""What every route answers to each role: the table the authorization matrix (tests/test_authorization.py) checks.

Every endpoint of `app.url_map` must appear here, in the dict of its area. An entry says, per method, what each
role gets, and builds the URL's arguments from the `World` of the test (its users and consultation; a builder may
create more objects with the factories and must flush them).

Expected outcomes:
- an HTTP status (200, 403, 404, 405, ...);
- LOGIN: a redirect to the sign-in page (anonymous users on a protected page);
- REDIRECT: any redirect that is not to the sign-in page (for instance a signed-in user on /account/login);
- ALLOWED (POST only): the request passes the permission checks: anything but 401/403, a redirect to sign-in or
  a 500 (the empty form usually gets 422 or a redirect back).
"""
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from consult.consultations.models import PhaseKind
from consult.extensions import db

LOGIN = "login"
REDIRECT = "redirect"
ALLOWED = "allowed"
# The other stakeholder owns nothing the URLs point at; the conflicted reviewer declared a conflict on the proposal
# of the URL (tests/authorization_world.py).
ROLES = ("anonymous", "stakeholder", "other_stakeholder", "reviewer", "conflicted_reviewer", "chair")


@dataclass
class Route:
    """Expected outcomes of one endpoint per role (in ROLES order), how to build its URL arguments, and in which phase.

    `phase` is the consultation phase open while the route is tried (the area's, see `in_phase`; else the call for
    proposals). `variants` are further cases of the same endpoint (another object, another phase), each with a label.
    `hidden` builds a text from the world that the GET page must not show to the roles `hidden_from`.
    """

    get: tuple | None = None
    post: tuple | None = None
    args: Callable = field(default=lambda world: {})
    phase: PhaseKind | None = None
    label: str = ""
    variants: tuple["Route", ...] = ()
    hidden: Callable | None = None
    hidden_from: tuple[str, ...] = ()

    def cases(self) -> list["Route"]:
        """This case and its variants, each with its phase settled."""
        return [replace(case, phase=case.phase or self.phase or PhaseKind.CALL_OPEN, variants=())
                for case in (self, *self.variants)]


def by_role(*, anonymous, stakeholder, other_stakeholder, reviewer, conflicted_reviewer, chair) -> tuple:
    """Outcomes named per role."""
    return (anonymous, stakeholder, other_stakeholder, reviewer, conflicted_reviewer, chair)


def but(outcomes: tuple, **overrides) -> tuple:
    """outcomes with some roles' outcomes replaced."""
    changed = list(outcomes)
    for role, outcome in overrides.items():
        changed[ROLES.index(role)] = outcome
    return tuple(changed)


def everyone(outcome):
    """The same outcome for every role."""
    return (outcome,) * len(ROLES)


def signed_in(outcome):
    """Sign-in for anonymous users, outcome for every signed-in role."""
    return (LOGIN,) + (outcome,) * (len(ROLES) - 1)


def chair_only(outcome):
    """Sign-in for anonymous users, 403 for stakeholders and reviewers, outcome for the chair."""
    return but(signed_in(403), chair=outcome)


def reviewers(outcome):
    """Sign-in for anonymous users, 403 for stakeholders, outcome for reviewers (conflicted or not) and the chair."""
    return by_role(anonymous=LOGIN, stakeholder=403, other_stakeholder=403, reviewer=outcome,
                   conflicted_reviewer=outcome, chair=outcome)


def owner_only(outcome, others=404):
    """Sign-in for anonymous users, outcome for the stakeholder who owns the object, others for everyone else."""
    return but(signed_in(others), stakeholder=outcome)


def anonymous_only(outcome):
    """outcome for anonymous users; signed-in users are sent away (to the home page)."""
    return (outcome,) + (REDIRECT,) * (len(ROLES) - 1)


def in_phase(phase: PhaseKind, area: dict[str, Route]) -> dict[str, Route]:
    """The area's routes tried while phase is open (unless a route names its own)."""
    return {endpoint: replace(route, phase=route.phase or phase) for endpoint, route in area.items()}


MAIN = {
    "static": Route(get=everyone(200), args=lambda world: {"filename": "css/consult.css"}),
    "main.index": Route(get=everyone(200)),
    "main.health": Route(get=everyone(200)),
}

ACCOUNTS = {
    "accounts.register": Route(get=anonymous_only(200), post=anonymous_only(ALLOWED)),
    "accounts.login": Route(get=anonymous_only(200), post=anonymous_only(ALLOWED)),
    "accounts.logout": Route(post=signed_in(REDIRECT)),
    "accounts.profile": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "accounts.choose_language": Route(post=everyone(ALLOWED)),
    "accounts.users": Route(get=chair_only(200)),
    "accounts.set_role": Route(post=chair_only(ALLOWED), args=lambda world: {"user_id": world.stakeholder.id}),
    "accounts.forgot_password": Route(get=everyone(200), post=everyone(ALLOWED)),
    # A made-up token: every link page refuses it with 400, whoever opens it.
    "accounts.reset_password": Route(get=everyone(400), post=everyone(400), args=lambda world: {"token": "made-up"}),
    "accounts.verify_email": Route(get=everyone(400), args=lambda world: {"token": "made-up"}),
    "accounts.confirm_email_change": Route(get=everyone(400), args=lambda world: {"token": "made-up"}),
    "accounts.accept_invitation": Route(get=everyone(400), post=everyone(400), args=lambda world: {"token": "made-up"}),
    "accounts.resend_verification": Route(post=signed_in(REDIRECT)),
    "accounts.change_email": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "accounts.change_password": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "accounts.invite": Route(post=chair_only(ALLOWED)),
    "accounts.resend_invitation": Route(post=chair_only(ALLOWED),
                                        args=lambda world: {"invitation_id": world.fresh_invitation().id}),
    "accounts.revoke_invitation": Route(post=chair_only(ALLOWED),
                                        args=lambda world: {"invitation_id": world.fresh_invitation().id}),
    # Without the password step in this browser, the code step sends everyone to sign in (a code sent: 400).
    "accounts.two_factor_login": Route(get=everyone(LOGIN), post=everyone(400)),
    "accounts.two_factor_setup": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "accounts.regenerate_recovery_codes": Route(post=signed_in(ALLOWED)),
    "accounts.disable_two_factor": Route(post=signed_in(ALLOWED)),
    "accounts.reset_two_factor": Route(post=chair_only(ALLOWED), args=lambda world: {"user_id": world.reviewer.id}),
    "accounts.privacy_notice": Route(get=everyone(200)),
    "accounts.download_data": Route(get=signed_in(200)),
    "accounts.close": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "accounts.account_settings": Route(get=chair_only(200), post=chair_only(ALLOWED)),
}

CONSULTATIONS = {
    "consultations.overview": Route(get=everyone(200)),
    "consultations.show": Route(get=everyone(200), args=lambda world: {"consultation_id": world.consultation.id}),
    "consultations.create": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "consultations.settings": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "consultations.edit_phase": Route(get=chair_only(200), post=chair_only(ALLOWED),
                                      args=lambda world: {"phase_id": world.consultation.phases[1].id}),
    "consultations.extend_phase": Route(post=chair_only(ALLOWED),
                                        args=lambda world: {"phase_id": world.consultation.phases[1].id}),
}


def _outbox_message(world):
    from consult.outbox.services import queue_email

    return {"message_id": queue_email("someone@example.org", "Subject", "Body").id}


AUDIT_AND_OUTBOX = {
    "audit.log": Route(get=chair_only(200)),
    "audit.export_csv": Route(get=chair_only(200)),
    "outbox.messages": Route(get=chair_only(200)),
    "outbox.message": Route(get=chair_only(200), args=_outbox_message),
}

def _draft(world):
    return {"proposal_id": world.draft.id}


def _proposal(world):
    return {"proposal_id": world.proposal.id}


def _title_of_draft(world):
    return world.draft.title


def _title_of_proposal(world):
    return world.proposal.title


# Proposals: tried while the call is open (drafts can be edited and submitted). The URL's proposal is the
# stakeholder's secret draft, or their submitted proposal (the committee's, with the conflict of the conflicted
# reviewer); the submissions are not published.
PROPOSALS = in_phase(PhaseKind.CALL_OPEN, {
    "proposals.new": Route(get=signed_in(200), post=signed_in(ALLOWED)),
    "proposals.edit": Route(
        get=owner_only(200), post=owner_only(ALLOWED), args=_draft, label=" (draft)",
        variants=(Route(get=but(owner_only(200), chair=403), post=but(owner_only(ALLOWED), chair=403), args=_proposal,
                        label=" (submitted)"),)),
    "proposals.preview": Route(get=owner_only(200), args=_draft),
    "drafting.suggest_labels": Route(post=signed_in(ALLOWED)),
    # The submissions are not published here: the owner of the draft may not write yet (403), others see nothing.
    "drafting.contact_authors": Route(get=owner_only(403), post=owner_only(403),
                                      args=lambda world: {"proposal_id": world.draft.id,
                                                          "other_id": world.other_proposal.id}),
    "proposals.submit": Route(post=owner_only(ALLOWED), args=lambda world: {"proposal_id": world.fresh_draft().id}),
    "proposals.submitted": Route(get=owner_only(200), args=_proposal, label=" (submitted)",
                                 variants=(Route(get=owner_only(404), args=_draft, label=" (draft)"),)),
    "proposals.delete_draft": Route(post=owner_only(ALLOWED), args=lambda world: {"proposal_id": world.fresh_draft().id}),
    "proposals.withdraw": Route(get=but(owner_only(200), chair=403), post=but(owner_only(ALLOWED), chair=403),
                                args=lambda world: {"proposal_id": world.fresh_submitted().id}),
    "proposals.show": Route(
        get=but(everyone(404), stakeholder=200), args=_draft, label=" (draft)",
        variants=(Route(get=but(everyone(404), stakeholder=200, chair=200), args=_proposal, label=" (submitted)"),)),
    "proposals.mine": Route(get=signed_in(200), hidden=_title_of_draft,
                            hidden_from=("other_stakeholder", "reviewer", "conflicted_reviewer", "chair")),
    "proposals.index": Route(get=everyone(200), hidden=_title_of_proposal, hidden_from=ROLES),
    "proposals.chair_overview": Route(get=chair_only(200), hidden=_title_of_draft, hidden_from=("chair",)),
    "proposals.chair_export": Route(get=chair_only(200)),
    "proposals.chair_show": Route(get=chair_only(200), args=_proposal, label=" (submitted)",
                                  variants=(Route(get=chair_only(404), args=_draft, label=" (draft)"),)),
    "proposals.import_file": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "proposals.import_confirm": Route(post=chair_only(ALLOWED)),
    # A speaker's answer link: public, but only a token signed for an existing speaker opens it.
    "speakers.answer": Route(get=everyone(404), post=everyone(404), args=lambda world: {"token": "forged-token"}),
    "speakers.unconfirmed": Route(get=chair_only(200)),
})

# Review: tried while the review is open. The reviewer holds an assignment to the stakeholder's submitted proposal;
# the conflicted reviewer declared a conflict on it; the chair holds no assignment.
_ASSIGNED_REVIEWER = by_role(anonymous=LOGIN, stakeholder=403, other_stakeholder=403, reviewer=200,
                             conflicted_reviewer=403, chair=200)
REVIEW = in_phase(PhaseKind.REVIEW, {
    "review.queue": Route(get=reviewers(200), hidden=_title_of_proposal, hidden_from=("conflicted_reviewer",)),
    "review.score_proposal": Route(get=_ASSIGNED_REVIEWER, post=but(_ASSIGNED_REVIEWER, reviewer=ALLOWED, chair=ALLOWED),
                                   args=_proposal),
    "discussion.thread": Route(get=_ASSIGNED_REVIEWER, post=but(_ASSIGNED_REVIEWER, reviewer=ALLOWED, chair=ALLOWED),
                               args=_proposal),
    "review.declare_conflict": Route(get=_ASSIGNED_REVIEWER,
                                     post=but(_ASSIGNED_REVIEWER, reviewer=ALLOWED, chair=ALLOWED), args=_proposal),
    "review.decline_assignment": Route(get=but(_ASSIGNED_REVIEWER, chair=403),
                                       post=but(_ASSIGNED_REVIEWER, reviewer=ALLOWED, chair=403), args=_proposal),
    "review.export_reviews": Route(get=reviewers(200), args=lambda world: {"fmt": "csv"},
                                   variants=(Route(get=reviewers(200), args=lambda world: {"fmt": "xlsx"}, label=" (xlsx)"),)),
    "classification.queue": Route(get=reviewers(200)),
    "classification.classify": Route(post=reviewers(ALLOWED),
                                     args=lambda world: {"proposal_id": world.fresh_to_classify().id}),
    "review.criteria": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "review.default_criteria": Route(post=chair_only(ALLOWED)),
    "review.edit_criterion": Route(get=chair_only(200), post=chair_only(ALLOWED),
                                   args=lambda world: {"criterion_id": world.criterion.id}),
    "review.edit_reason": Route(get=chair_only(200), post=chair_only(ALLOWED),
                                args=lambda world: {"reason_id": world.reason.id},
                                variants=(Route(post=chair_only(ALLOWED), label=" (new)"),)),
    "review.settings": Route(get=chair_only(200), post=chair_only(ALLOWED)),
    "review.assignments": Route(get=chair_only(200)),
    "review.review_assignment_status": Route(get=chair_only(200), args=lambda world: _work_job(world, "review_assignment")),
    "review.review_assignment_retry": Route(post=chair_only(ALLOWED),
                                            args=lambda world: _work_job(world, "review_assignment")),
    "review.assign_automatically": Route(post=chair_only(ALLOWED)),
    "review.add_assignment": Route(post=chair_only(ALLOWED)),
    "review.remove_assignment": Route(post=chair_only(ALLOWED),
                                      args=lambda world: {"assignment_id": world.fresh_assignment().id}),
    "review.ranking": Route(get=chair_only(200)),
    "review.bulk_decision": Route(post=chair_only(ALLOWED)),
    "review.apply_bulk_decision": Route(post=chair_only(ALLOWED)),
    "review.held_decisions": Route(get=chair_only(200)),
    "review.release_decisions": Route(post=chair_only(ALLOWED)),
    "review.decide": Route(get=chair_only(200), post=chair_only(ALLOWED), args=_proposal),
    "review.selection": Route(get=chair_only(200)),
    "review.progress": Route(get=chair_only(200)),
    "review.remind": Route(post=chair_only(ALLOWED)),
    "review.export_ranking": Route(get=chair_only(200), args=lambda world: {"fmt": "csv"}),
})


def _work_job(world, kind: str) -> dict:
    """A failed run of the area's long work (so that its retry may be asked for) in the world's consultation."""
    from consult.jobs.models import JobState, WorkJob, WorkKind

    job = WorkJob(consultation_id=world.consultation.id, kind=WorkKind(kind), state=JobState.FAILED, attempts=1,
                  parameters={}, message="The worker crashed.", requested_by_id=world.chair.id)
    db.session.add(job)
    db.session.flush()
    return {"job_id": job.id}


def _cluster(world):
    return {"cluster_id": world.cluster.id}


# Clustering: tried while the agenda is drafted. The cluster holds the stakeholder's and the other stakeholder's
# proposals, so each was asked for consent; the URL's consent is the stakeholder's.
CLUSTERING = in_phase(PhaseKind.AGENDA_DRAFTING, {
    "clustering.workspace_page": Route(get=reviewers(200)),
    "clustering.suggestions": Route(get=reviewers(200)),
    "clustering.cluster_suggestions_status": Route(get=reviewers(200),
                                                   args=lambda world: _work_job(world, "cluster_suggestions")),
    "clustering.cluster_suggestions_retry": Route(post=reviewers(ALLOWED),
                                                  args=lambda world: _work_job(world, "cluster_suggestions")),
    "clustering.suggest": Route(post=reviewers(ALLOWED)),
    "clustering.accept_suggestion": Route(post=reviewers(ALLOWED),
                                          args=lambda world: {"suggestion_id": world.fresh_suggestion().id}),
    "clustering.join_suggestion": Route(post=reviewers(ALLOWED),
                                        args=lambda world: {"suggestion_id": world.fresh_leftover().id}),
    "clustering.create": Route(post=reviewers(ALLOWED)),
    "clustering.cluster_page": Route(get=reviewers(200), post=reviewers(ALLOWED), args=_cluster),
    "clustering.change_members": Route(post=reviewers(ALLOWED), args=_cluster),
    "clustering.merge": Route(post=reviewers(ALLOWED), args=_cluster),
    "clustering.mark_duplicate": Route(post=reviewers(ALLOWED), args=_cluster),
    "clustering.delete": Route(post=reviewers(ALLOWED), args=lambda world: {"cluster_id": world.fresh_cluster().id}),
    "clustering.consents": Route(get=signed_in(200), hidden=_title_of_proposal,
                                 hidden_from=("reviewer", "conflicted_reviewer", "chair")),
    "clustering.answer_consent": Route(post=owner_only(ALLOWED, others=403),
                                       args=lambda world: {"consent_id": world.consent.id}),
})


def _session(world):
    return {"session_id": world.session.id}


def _comment(world):
    return {"comment_id": world.comment.id}


# Agenda: tried while the agenda is drafted, with version 1 published; comments while the draft is open for comment.
AGENDA = in_phase(PhaseKind.AGENDA_DRAFTING, {
    "agenda.public_agenda": Route(get=everyone(200)),
    "agenda.published_json": Route(get=everyone(200)),
    "agenda.public_grid": Route(get=everyone(200)),
    "agenda.calendar": Route(get=everyone(200)),
    "agenda.session_calendar": Route(get=everyone(200), args=_session),
    "agenda.versions": Route(get=everyone(200)),
    "agenda.version": Route(get=everyone(200), args=lambda world: {"number": world.version.number}),
    "agenda.public_session": Route(get=everyone(200), args=_session),
    "agenda.add_comment": Route(post=signed_in(ALLOWED), args=_session, phase=PhaseKind.PUBLIC_COMMENT),
    "agenda.moderation": Route(get=chair_only(200)),
    "agenda.reply_comment": Route(post=chair_only(ALLOWED), args=_comment, phase=PhaseKind.PUBLIC_COMMENT),
    "agenda.hide_comment": Route(post=chair_only(ALLOWED), args=_comment, phase=PhaseKind.PUBLIC_COMMENT),
    "agenda.show_comment": Route(post=chair_only(ALLOWED), args=_comment, phase=PhaseKind.PUBLIC_COMMENT),
    "agenda.sessions": Route(get=reviewers(200)),
    "agenda.session_from_cluster": Route(post=reviewers(ALLOWED)),
    "agenda.new_session": Route(get=reviewers(200), post=reviewers(ALLOWED)),
    "agenda.edit_session": Route(get=reviewers(200), post=reviewers(ALLOWED), args=_session),
    "agenda.add_person": Route(post=reviewers(ALLOWED), args=_session),
    "agenda.remove_person": Route(post=reviewers(ALLOWED), args=lambda world: {"person_id": world.fresh_person().id}),
    "agenda.pin_session": Route(post=chair_only(ALLOWED), args=_session),
    "agenda.move_session": Route(get=chair_only(200), post=chair_only(ALLOWED), args=_session),
    "agenda.week": Route(get=chair_only(200)),
    "agenda.generate_days": Route(post=chair_only(ALLOWED)),
    "agenda.update_day": Route(post=chair_only(ALLOWED), args=lambda world: {"day_id": world.day.id}),
    "agenda.create_room": Route(post=chair_only(ALLOWED)),
    "agenda.edit_room": Route(get=chair_only(200), post=chair_only(ALLOWED), args=lambda world: {"room_id": world.room.id}),
    "agenda.create_plenary_slot": Route(post=chair_only(ALLOWED)),
    "agenda.delete_plenary_slot": Route(post=chair_only(ALLOWED), args=lambda world: {"slot_id": 999999}),
    "agenda.delete_room": Route(post=chair_only(ALLOWED), args=lambda world: {"room_id": world.fresh_room().id}),
    "agenda.schedule": Route(get=chair_only(200)),
    "agenda.agenda_schedule_status": Route(get=chair_only(200), args=lambda world: _work_job(world, "agenda_schedule")),
    "agenda.agenda_schedule_retry": Route(post=chair_only(ALLOWED), args=lambda world: _work_job(world, "agenda_schedule")),
    "agenda.run_scheduler": Route(post=chair_only(ALLOWED)),
    "agenda.publish": Route(get=chair_only(200), post=chair_only(ALLOWED)),
})



def _report_logo(world):
    """An organiser's logo of the world's consultation (a one-pixel PNG)."""
    from consult.reports.models import ReportLogo
    from tests.reports.test_outcomes_document import PNG_PIXEL as pixel

    logo = ReportLogo(consultation_id=world.consultation.id, organiser="ITU", mime_type="image/png", data=pixel,
                      sha256="0" * 64, position=0)
    db.session.add(logo)
    db.session.flush()
    return logo


def _report_job(world, *, state: str = "done", kind: str = "outcomes"):
    """A report job of the world's consultation; a finished one has its (tiny) PDF."""
    from consult.reports.models import JobState, ReportJob, ReportKind

    job = ReportJob(consultation_id=world.consultation.id, kind=ReportKind(kind), state=JobState(state),
                    progress=100 if state == "done" else 10, requested_by_id=world.chair.id)
    db.session.add(job)
    db.session.flush()
    if state == "done":
        job.file_name = f"authorization-{job.id}.pdf"
        job.document = b"%PDF-1.4\n%%EOF\n"
        db.session.flush()
    return job


def _build_while_running(world):
    # A build of that kind is already running, so the chair's request returns it and starts no PDF rendering.
    return {"kind": _report_job(world, state="running").kind.value}


# Reports: tried once the final phase is open (the world's agenda has version 1 published). Everything is the
# chair's but the published agenda as JSON, a public address for websites.
REPORTS = in_phase(PhaseKind.FINAL, {
    "reports.index": Route(get=chair_only(200)),
    "reports.build": Route(post=chair_only(ALLOWED), args=_build_while_running,
                           variants=(Route(post=chair_only(404), args=lambda world: {"kind": "poster"},
                                           label=" (unknown kind)"),)),
    "reports.status": Route(get=chair_only(200), args=lambda world: {"job_id": _report_job(world).id}),
    "reports.retry": Route(post=chair_only(ALLOWED), args=lambda world: {"job_id": _report_job(world).id}),
    "reports.download": Route(get=chair_only(200), args=lambda world: {"job_id": _report_job(world).id},
                              variants=(Route(get=chair_only(404), label=" (still running)",
                                              args=lambda world: {"job_id": _report_job(world, state="running").id}),)),
    "reports.export_submissions": Route(get=chair_only(200), args=lambda world: {"fmt": "csv"},
                                        variants=(Route(get=chair_only(200), args=lambda world: {"fmt": "xlsx"},
                                                        label=" (xlsx)"),)),
    "reports.export_reviews": Route(get=chair_only(200), args=lambda world: {"fmt": "csv"},
                                    variants=(Route(get=chair_only(404), args=lambda world: {"fmt": "pdf"},
                                                    label=" (unknown format)"),)),
    "reports.export_agenda_json": Route(get=chair_only(200)),
    "reports.export_agenda_ics": Route(get=chair_only(200)),
    "reports.published_agenda_json": Route(get=everyone(REDIRECT)),
    "reports.save_settings": Route(post=chair_only(ALLOWED)),
    "reports.add_logo": Route(post=chair_only(ALLOWED)),
    "reports.logo_image": Route(get=chair_only(200), args=lambda world: {"logo_id": _report_logo(world).id},
                                variants=(Route(get=chair_only(404), args=lambda world: {"logo_id": 999999},
                                                label=" (unknown logo)"),)),
    "reports.remove_logo": Route(post=chair_only(ALLOWED), args=lambda world: {"logo_id": _report_logo(world).id}),
})

AREAS = (MAIN, ACCOUNTS, CONSULTATIONS, AUDIT_AND_OUTBOX, PROPOSALS, REVIEW, CLUSTERING, AGENDA, REPORTS)


def expectations() -> dict[str, Route]:
    """Every area's entries in one dict; an endpoint listed twice is an error."""
    merged: dict[str, Route] = {}
    for area in AREAS:
        duplicated = merged.keys() & area.keys()
        assert not duplicated, f"listed in two areas of tests/authorization_table.py: {sorted(duplicated)}"
        merged.update(area)
    return merged
