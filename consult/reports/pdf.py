"""The agenda and outcomes report PDFs: pure functions from plain data to PDF bytes.

`agenda_report_data` / `outcomes_report_data` read the database once into plain data; `render_agenda_pdf` /
`render_outcomes_pdf` turn that data into HTML sections (Jinja, autoescaped; user Markdown sanitised) and
hand them to `consult.reports.assembly`, which renders them in parallel behind the package's URL fetcher.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import current_app, render_template
from flask_babel import gettext as _

from consult.consultations.models import Consultation
from consult.db import utcnow
from consult.reports import assembly, charts, queries
from consult.reports.assembly import Part, RenderedPart

ANNEX_CHUNK = 10
ANNEX_LETTERS = "ABCD"
LANGUAGE = "en"


@dataclass
class RenderOptions:
    """Where parts are cached, how many processes render them and who hears about progress."""

    cache_dir: str
    workers: int = 1
    progress: Callable[[int, int], None] | None = None
    result: assembly.AssembledReport | None = None


def default_options(progress: Callable[[int, int], None] | None = None) -> RenderOptions:
    """Options from the app config: REPORT_CACHE_DIR (else instance/report-cache) and REPORT_WORKERS."""
    cache_dir = current_app.config.get("REPORT_CACHE_DIR") or str(Path(current_app.instance_path) / "report-cache")
    return RenderOptions(cache_dir=cache_dir, workers=assembly.worker_count(current_app.config.get("REPORT_WORKERS")),
                         progress=progress)


def agenda_report_data(consultation: Consultation, *, draft_preview: bool = False) -> dict:
    """Everything the agenda PDF prints, as plain data."""
    source = queries.agenda_source(consultation, draft_preview=draft_preview)
    return {"info": queries.consultation_info(consultation), "source": source,
            "days": queries.agenda_days(source["sessions"], consultation.timezone),
            "produced": utcnow().strftime("%d %B %Y")}


def outcomes_report_data(consultation: Consultation) -> dict:
    """Everything the outcomes report prints, as plain data."""
    proposals = queries.load_submissions(consultation.id)
    outcomes = queries.submission_outcomes(consultation.id, proposals)
    agenda = agenda_report_data(consultation)
    submissions = [queries.submission_record(p, outcomes[p.id]) for p in proposals
                   if p.status.value == "submitted"]
    return {
        "info": agenda["info"],
        "agenda": agenda,
        "stats": queries.outcome_statistics(proposals, agenda["source"]["sessions"]),
        "method": queries.review_method(consultation.id),
        "themes": queries.themes(consultation.id),
        "formats": queries.format_innovations(proposals),
        "submissions": submissions,
        "produced": agenda["produced"],
    }


def _page(template: str, title: str, **context) -> str:
    return render_template(template, document_title=title, language=LANGUAGE, **context)


def _toc_builder(parts: list[Part], title: str) -> Callable[[list[RenderedPart], int], str]:
    toc_index = next(index for index, part in enumerate(parts) if part.is_toc)

    def make_toc(rendered: list[RenderedPart], toc_pages: int) -> str:
        starts = assembly.start_pages(rendered, toc_index, toc_pages)
        entries = []
        for index, part in enumerate(rendered):
            if index <= toc_index:
                continue
            for heading in part.headings:
                level = heading["level"] + parts[index].level_offset
                if level <= 2:
                    entries.append({"label": heading["label"], "level": level,
                                    "page": starts[index] + heading["page_index"]})
        return _page("reports/toc.html", title, entries=entries)

    return make_toc


def _assemble(parts: list[Part], title: str, marks: assembly.Marks, options: RenderOptions) -> bytes:
    result = assembly.assemble(parts, make_toc=_toc_builder(parts, title), title=title, marks=marks,
                               language=LANGUAGE, cache_dir=options.cache_dir, workers=options.workers,
                               progress=options.progress)
    options.result = result
    return result.pdf


def agenda_parts(data: dict, title: str) -> list[Part]:
    """Cover, contents, then one part per day of the agenda."""
    parts = [
        Part("cover", _page("reports/cover.html", title, heading=_("Agenda"), info=data["info"],
                            source_label=data["source"]["label"], produced=data["produced"])),
        Part("toc", _page("reports/toc.html", title, entries=[{"label": day["label"], "level": 2, "page": 0}
                                                             for day in data["days"]]), is_toc=True),
    ]
    for index, day in enumerate(data["days"]):
        parts.append(Part(f"day-{index}", _page("reports/agenda_day.html", title, day=day,
                                                section_heading=_("Agenda") if index == 0 else None),
                          level_offset=1 if index else 0))
    if not data["days"]:
        parts.append(Part("day-none", _page("reports/agenda_day.html", title, section_heading=_("Agenda"),
                                            day={"label": _("No sessions yet"), "rooms": [], "count": 0})))
    return parts


def render_agenda_pdf(data: dict, options: RenderOptions) -> bytes:
    """The agenda PDF: cover, contents with page numbers, the sessions day by day and room by room."""
    title = f"{data['info']['title']}: {_('Agenda')}"
    return _assemble(agenda_parts(data, title), title, assembly.Marks(title), options)


def chart(title: str, pairs: list[tuple[str, int]], horizontal: bool = True) -> dict:
    """A chart as the template needs it: title, alt text and SVG data URL."""
    labels, values = [label for label, _v in pairs], [value for _l, value in pairs]
    svg = charts.bar_chart_svg(labels, values, title=title, horizontal=horizontal)
    return {"title": title, "alt": charts.chart_alt_text(title, labels, values), "src": charts.svg_data_url(svg)}


def outcomes_parts(data: dict, title: str) -> list[Part]:
    """Cover, contents, figures, charts, matrix, themes, method, agenda, annexes in chunks."""
    stats = data["stats"]
    figures = [(_("submissions"), stats["submitted"]), (_("organizations"), stats["organizations"]),
               (_("countries"), stats["countries"]), (_("accepted"), stats["accepted"]),
               (_("merged"), stats["merged"]), (_("declined"), stats["declined"]),
               (_("awaiting decision"), stats["pending"]), (_("sessions"), stats["sessions"]),
               (_("from physical meetings"), stats["from_meetings"]), (_("withdrawn"), stats["withdrawn"])]
    toc_guess = [{"label": "x", "level": 1, "page": 0}] * (12 + len(data["agenda"]["days"]))
    parts = [
        Part("cover", _page("reports/cover.html", title, heading=_("Outcomes and analysis"), info=data["info"],
                            source_label=None, produced=data["produced"])),
        Part("toc", _page("reports/toc.html", title, entries=toc_guess), is_toc=True),
        Part("summary", _page("reports/outcomes_summary.html", title, info=data["info"], figures=figures)),
        Part("participation", _page("reports/outcomes_charts.html", title, heading=_("Who took part"), charts=[
            chart(_("Submissions by stakeholder type"), stats["by_type"]),
            chart(_("Submissions by region"), stats["by_region"]),
        ])),
        Part("topics", _page("reports/outcomes_charts.html", title, heading=_("What was proposed"), charts=[
            chart(_("Submissions by kind"), stats["by_kind"]),
            chart(_("Submissions by action line"), stats["by_action_line"]),
            chart(_("Submissions by SDG"), stats["by_sdg"], horizontal=False),
        ])),
        Part("matrix", _page("reports/outcomes_matrix.html", title, stats=stats)),
        Part("themes", _page("reports/outcomes_themes.html", title, themes=data["themes"], formats=data["formats"])),
        Part("method", _page("reports/outcomes_method.html", title, method=data["method"], stats=stats)),
    ]
    agenda = data["agenda"]
    for index, day in enumerate(agenda["days"]):
        parts.append(Part(f"agenda-{index}", _page(
            "reports/agenda_day.html", title, day=day, section_heading=_("The agenda") if index == 0 else None,
            intro=_("Sessions of the %(label)s.", label=agenda["source"]["label"]) if index == 0 else None),
            level_offset=1 if index else 0))
    for letter, (group, heading) in zip(ANNEX_LETTERS, queries.ANNEX_GROUPS, strict=True):
        members = [item for item in data["submissions"] if item["group"] == group]
        full_heading = _("Annex %(letter)s: %(heading)s", letter=letter, heading=heading)
        chunks = [members[start:start + ANNEX_CHUNK] for start in range(0, len(members), ANNEX_CHUNK)] or [[]]
        for number, chunk in enumerate(chunks):
            parts.append(Part(f"annex-{group}-{number}", _page("reports/annex.html", title, heading=full_heading,
                                                                first_chunk=number == 0, submissions=chunk)))
    return parts


def render_outcomes_pdf(data: dict, options: RenderOptions) -> bytes:
    """The outcomes report PDF, annexes included."""
    title = f"{data['info']['title']}: {_('Outcomes and analysis')}"
    return _assemble(outcomes_parts(data, title), title, assembly.Marks(title), options)


def single_pass_html(parts: list[Part]) -> str:
    """All parts' bodies in one HTML document (for measuring one plain WeasyPrint render of the same content)."""
    head, bodies = None, []
    for part in parts:
        before, _sep, rest = part.html.partition("<body>")
        head = head or before
        bodies.append(rest.rsplit("</body>", 1)[0])
    return head + "<body>" + "<div style='break-before: page'></div>".join(bodies) + "</body></html>"
