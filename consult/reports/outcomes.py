"""The outcomes report ("Outcomes and analysis") and the executive brief, as a WSIS outcome document is laid out.

Executive summary; the consultation in figures; one chapter per action line; the High-Level Track; themes and
format innovations; the public comments; the method; the agenda; the annexes. The brief reuses the summary,
figures and High-Level Track parts unchanged, so a brief built after the report lays out only its cover and
contents.
"""
from flask_babel import gettext as _
from flask_babel import npgettext

from consult.consultations.models import Consultation
from consult.reports import chapters, comments, pdf, statistics, submissions
from consult.reports.assembly import Part, stable_runs
from consult.reports.models import ReportKind
from consult.reports.pdf import RenderOptions, chart, page

ANNEX_LETTERS = "ABCD"
# Entries per part, at least and at most, cut at stable places (assembly.stable_runs). One changed submission lays
# out one annex part again (4 to 10 entries, about six, under half a second) and the chapter parts that list it;
# each part ends on a page of its own, so smaller parts add pages.
ANNEX_RUN = {"least": 4, "most": 10}
CHAPTER_RUN = {"least": 12, "most": 36}
THEME_RUN = {"least": 16, "most": 48}


def outcomes_report_data(consultation: Consultation) -> dict:
    """Everything the outcomes report and the brief print, as plain data."""
    proposals = submissions.load_submissions(consultation.id)
    links = submissions.cluster_links(consultation.id)
    outcomes = submissions.submission_outcomes(consultation.id, proposals, links)
    agenda = pdf.agenda_report_data(consultation)
    sessions = agenda["sessions"]
    feeding = chapters.feeding_submissions(sessions, proposals, links)
    stats = statistics.outcome_statistics(proposals, agenda["source"]["sessions"])
    stats["rooms"] = len({s["room"] for s in sessions if s.get("room")})
    stats["days"] = len([day for day in agenda["days"] if day["date"]])
    return {
        "info": agenda["info"],
        "facts": agenda["facts"],
        "agenda": agenda,
        "stats": stats,
        "genders": statistics.speaker_genders(consultation.id),
        "method": statistics.review_method(consultation.id),
        "themes": statistics.themes(consultation.id),
        "formats": statistics.format_innovations(proposals),
        "action_lines": chapters.action_line_chapters(sessions, proposals, feeding),
        "high_level": chapters.high_level_track(sessions, proposals, feeding),
        "comments": comments.public_comments(consultation.id),
        "submissions": submissions.annex_entries(proposals, outcomes, agenda["facts"]["settings"]),
    }


def key_figures(stats: dict) -> list[tuple[str, int]]:
    """The figures the summary opens with."""
    # Each label follows its figure ("1 submission", "5 countries"): it takes the plural form of that number.
    s = stats
    return [(npgettext("key figure", "submission", "submissions", s["submitted"]), s["submitted"]),
            (npgettext("key figure", "organization", "organizations", s["organizations"]), s["organizations"]),
            (npgettext("key figure", "country", "countries", s["countries"]), s["countries"]),
            (npgettext("key figure", "accepted", "accepted", s["accepted"]), s["accepted"]),
            (npgettext("key figure", "merged into sessions", "merged into sessions", s["merged"]), s["merged"]),
            (npgettext("key figure", "declined", "declined", s["declined"]), s["declined"]),
            (npgettext("key figure", "session on the agenda", "sessions on the agenda", s["sessions"]), s["sessions"]),
            (npgettext("key figure", "from physical meetings", "from physical meetings", s["from_meetings"]),
             s["from_meetings"])]


def leading(pairs: list[tuple[str, int]], count: int = 3) -> list[str]:
    """The largest groups of a breakdown as "label (count)", largest first, empty ones left out."""
    return [f"{label} ({value})" for label, value in sorted(pairs, key=lambda pair: -pair[1]) if value][:count]


def summary_parts(data: dict, title: str) -> list[Part]:
    """Executive summary and the consultation in figures: shared by the report and the brief."""
    stats = data["stats"]
    return [
        Part("summary", page("reports/outcomes_summary.html", title, info=data["info"], stats=stats,
                             figures=key_figures(stats), top_lines=leading(stats["by_action_line"]),
                             top_types=leading(stats["by_type"]), high_level=data["high_level"],
                             comments=data["comments"], formats=data["formats"])),
        Part("figures", page("reports/outcomes_figures.html", title, info=data["info"], stats=stats,
                             genders=data["genders"], charts=[
                                 chart(_("Submissions by stakeholder type"), stats["by_type"], unit=_("submissions")),
                                 chart(_("Submissions by region"), stats["by_region"], unit=_("submissions")),
                             ])),
    ]


def high_level_part(data: dict, title: str) -> Part:
    """The High-Level Track chapter."""
    return Part("high-level", page("reports/outcomes_high_level.html", title, track=data["high_level"]))


def outcomes_parts(data: dict, title: str) -> list[Part]:
    """Every part of the outcomes report in reading order."""
    stats = data["stats"]
    parts = summary_parts(data, title)
    parts.append(Part("topics", page("reports/outcomes_topics.html", title, stats=stats, charts=[
        chart(_("Submissions by kind"), stats["by_kind"], unit=_("submissions")),
        chart(_("Submissions by action line"), stats["by_action_line"], unit=_("submissions")),
        chart(_("Submissions by SDG"), stats["by_sdg"], unit=_("submissions"), horizontal=False),
    ])))
    parts += action_line_parts(data["action_lines"], title, stats["sessions"])
    parts.append(high_level_part(data, title))
    parts += theme_parts(data["themes"], data["formats"], title)
    parts.append(Part("comments", page("reports/outcomes_comments.html", title, comments=data["comments"])))
    parts.append(Part("method", page("reports/outcomes_method.html", title, method=data["method"], stats=stats,
                                     genders=data["genders"])))
    agenda = data["agenda"]
    parts += pdf.agenda_day_parts(agenda["days"], title, heading=_("The agenda"), key="agenda",
                                  intro=_("Sessions of the %(label)s: each day as a grid of rooms and times, then "
                                          "its sessions in time order.", label=agenda["source"]["label"]))
    parts += annex_parts(data["submissions"], title, data["facts"]["settings"])
    return pdf.with_contents(pdf.cover(title, _("Outcomes and analysis"), data), parts, title)


def action_line_parts(chapters: list[dict], title: str, total_sessions: int) -> list[Part]:
    """One chapter per action line, cut into parts of a few sessions each at stable places."""
    parts = []
    for index, chapter in enumerate(chapters):
        units = [(section, entry, position == 0) for section in chapter["sections"]
                 for position, entry in enumerate(section["sessions"] or [None])]
        runs = stable_runs(units, lambda unit: (unit[0]["code"], unit[1] and (unit[1].get("id"), unit[1].get("title"))),
                           **CHAPTER_RUN)
        for number, run in enumerate(runs):
            slices: list[dict] = []
            for section, entry, starts in run:
                if not slices or slices[-1]["section"] is not section:
                    slices.append({"section": section, "starts": starts, "sessions": []})
                if entry is not None:
                    slices[-1]["sessions"].append(entry)
            parts.append(Part(f"line-{chapter['code']}-{number}", page(
                "reports/outcomes_action_line.html", title, chapter=chapter, slices=slices,
                is_first=index == 0 and number == 0, is_chapter_start=number == 0, total_sessions=total_sessions),
                level_offset=1 if index and number == 0 else 0))
    return parts


def theme_parts(themes: list[dict], formats: dict, title: str) -> list[Part]:
    """The themes in parts of a few dozen, then the format innovations (which follow the format proposals' totals)."""
    runs = stable_runs(themes, lambda theme: theme["title"], **THEME_RUN) or [[]]
    parts = [Part(f"themes-{number}", page("reports/outcomes_themes.html", title, themes=run, is_first=number == 0))
             for number, run in enumerate(runs)]
    return parts + [Part("formats", page("reports/outcomes_formats.html", title, formats=formats), level_offset=1)]


def annex_parts(entries: list[dict], title: str, settings) -> list[Part]:
    """Annexes A to D, each cut into parts of a few submissions at stable places (a change lays out one part)."""
    parts = []
    for letter, (group, heading) in zip(ANNEX_LETTERS, submissions.ANNEX_GROUPS, strict=True):
        members = [item for item in entries if item["group"] == group]
        full_heading = _("Annex %(letter)s: %(heading)s", letter=letter, heading=heading)
        runs = stable_runs(members, lambda item: item["reference"], **ANNEX_RUN) or [[]]
        for number, run in enumerate(runs):
            parts.append(Part(f"annex-{group}-{number}", page(
                "reports/annex.html", title, heading=full_heading, first_chunk=number == 0, submissions=run,
                settings=settings)))
    return parts


def render_outcomes_pdf(data: dict, options: RenderOptions) -> bytes:
    """The outcomes report PDF, annexes included."""
    title = f"{data['info']['title']}: {_('Outcomes and analysis')}"
    return pdf.assemble(outcomes_parts(data, title), title, pdf.marks(data["facts"], title), options)


def brief_parts(data: dict, title: str) -> list[Part]:
    """The executive brief: cover, contents, summary, figures and the High-Level Track."""
    # The shared parts carry the report's title so that their HTML, hence their cache key, is the report's.
    report_title = f"{data['info']['title']}: {_('Outcomes and analysis')}"
    return pdf.with_contents(pdf.cover(title, _("Executive brief"), data),
                             summary_parts(data, report_title) + [high_level_part(data, report_title)], title)


def render_brief_pdf(data: dict, options: RenderOptions) -> bytes:
    """The executive brief PDF (a few pages)."""
    title = f"{data['info']['title']}: {_('Executive brief')}"
    return pdf.assemble(brief_parts(data, title), title, pdf.marks(data["facts"], title), options)


def render_report(consultation: Consultation, kind: ReportKind, options: RenderOptions, *,
                  draft_preview: bool = False) -> bytes:
    """Read and render one document of a consultation: the entry point of the job and the command."""
    if kind is ReportKind.AGENDA:
        return pdf.render_agenda_pdf(pdf.agenda_report_data(consultation, draft_preview=draft_preview), options)
    data = outcomes_report_data(consultation)
    return render_brief_pdf(data, options) if kind is ReportKind.BRIEF else render_outcomes_pdf(data, options)
