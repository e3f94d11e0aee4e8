"""The agenda PDF and what every report shares: options, the document's cover facts, contents, charts, assembly.

`agenda_report_data` reads the database once into plain data; `render_agenda_pdf` turns that data into HTML
parts (Jinja, autoescaped; user Markdown sanitised) and hands them to `consult.reports.assembly`, which lays
them out in parallel behind the package's URL fetcher. The outcomes report and the brief live in `outcomes`.
"""
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import current_app
from flask_babel import gettext as _

from consult.consultations.models import Consultation
from consult.consultations.times import format_day
from consult.db import utcnow
from consult.i18n import Language, current_language
from consult.reports import agenda_layout, assembly, charts, queries
from consult.reports.assembly import Part, RenderedPart
from consult.reports.logos import logo_data_url
from consult.reports.marks import Marks
from consult.reports.models import DocumentStatus


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


def document_facts(consultation: Consultation) -> dict:
    """What the cover and the page margins print: symbol, status, date, the organisers' logos."""
    settings = queries.report_settings(consultation.id)
    is_draft = settings.status is DocumentStatus.DRAFT
    return {
        "symbol": settings.document_symbol,
        "is_draft": is_draft,
        "status_label": _("Draft") if is_draft else _("Final"),
        "date": format_day(utcnow(), "long"),
        "logos": [{"src": logo_data_url(logo.mime_type, logo.data), "alt": logo.organiser}
                  for logo in queries.report_logos(consultation.id)],
        "settings": settings,
    }


def document_language() -> Language:
    """The language the document is written in: the request's, or the one a build forced (flask_babel.force_locale)."""
    return current_language()


def marks(facts: dict, running_title: str) -> Marks:
    """What every page carries: running title, page numbers, the DRAFT watermark of a draft, the first logo."""
    logo = facts["logos"][0] if facts["logos"] else None
    return Marks(running_title=running_title, page_label=_("Page %(page)d of %(pages)d"),
                 watermark=_("DRAFT") if facts["is_draft"] else "", logo_src=logo["src"] if logo else "",
                 logo_alt=logo["alt"] if logo else "", language=document_language().code)


def agenda_report_data(consultation: Consultation, *, draft_preview: bool = False) -> dict:
    """Everything the agenda PDF prints, as plain data."""
    source = queries.agenda_source(consultation, draft_preview=draft_preview)
    views = agenda_layout.session_views(source["sessions"], consultation.timezone)
    return {"info": queries.consultation_info(consultation), "source": source, "sessions": views,
            "days": agenda_layout.agenda_days(views), "facts": document_facts(consultation)}


def page(template: str, title: str, **context) -> str:
    """One part's HTML from a template of templates/reports/."""
    language = document_language()
    # A part is a function of its data alone: render_template would run the site's context processors (the
    # current consultation and phase, read from the database) once for each of a report's hundred parts.
    return current_app.jinja_env.get_template(template).render(
        document_title=title, language=language.code, direction=language.direction, **context)


def cover(title: str, heading: str, data: dict, source_label: str | None = None) -> Part:
    """The cover: logos, the document's heading and title, symbol, status and date."""
    return Part("cover", page("reports/cover.html", title, heading=heading, info=data["info"], facts=data["facts"],
                              source_label=source_label))


HEADING = re.compile(r"<h([12])\b[^>]*>(.*?)</h\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def with_contents(cover_part: Part, parts: list[Part], title: str) -> list[Part]:
    """Cover, a placeholder of the contents listing the parts' headings (so that it has the real one's length),
    then the parts; the real contents are made once the pages are known."""
    entries = [{"label": html.unescape(TAG.sub("", label)), "level": int(level), "page": 888}
               for part in parts for level, label in HEADING.findall(part.html)]
    return [cover_part, Part("toc", page("reports/toc.html", title, entries=entries), is_toc=True), *parts]


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
        return page("reports/toc.html", title, entries=entries)

    return make_toc


def assemble(parts: list[Part], title: str, page_marks: Marks, options: RenderOptions) -> bytes:
    """Lay the parts out, number them and join them into one PDF; the build's figures land in options.result."""
    result = assembly.assemble(parts, make_toc=_toc_builder(parts, title), title=title, marks=page_marks,
                               language=document_language().code, cache_dir=options.cache_dir, workers=options.workers,
                               progress=options.progress)
    options.result = result
    return result.pdf


def agenda_day_parts(days: list[dict], title: str, *, heading: str, intro: str | None, key: str) -> list[Part]:
    """One part per day: the room x time grid, then the day's sessions in time order with their summaries."""
    parts = [Part(f"{key}-{index}", page("reports/agenda_day.html", title, day=day,
                                          section_heading=heading if index == 0 else None,
                                          intro=intro if index == 0 else None),
                  level_offset=1 if index else 0)
             for index, day in enumerate(days)]
    if not days:
        parts.append(Part(f"{key}-none", page("reports/agenda_day.html", title, section_heading=heading, intro=intro,
                                              day={"label": _("No sessions yet"), "grids": [], "sessions": [],
                                                   "count": 0})))
    return parts


def render_agenda_pdf(data: dict, options: RenderOptions) -> bytes:
    """The agenda PDF: cover, contents with page numbers, per day the grid and the sessions in time order."""
    title = f"{data['info']['title']}: {_('Agenda')}"
    parts = with_contents(cover(title, _("Agenda"), data, source_label=data["source"]["label"]),
                          agenda_day_parts(data["days"], title, heading=_("Agenda"), intro=None, key="day"), title)
    return assemble(parts, title, marks(data["facts"], title), options)


def chart(title: str, pairs: list[tuple[str, int]], *, unit: str, horizontal: bool = True) -> dict:
    """A chart as the template needs it: title, alt text and SVG data URL."""
    labels, values = [label for label, _v in pairs], [value for _l, value in pairs]
    svg = charts.bar_chart_svg(labels, values, title=title, unit=unit, horizontal=horizontal)
    return {"title": title, "alt": charts.chart_alt_text(title, labels, values), "src": charts.svg_data_url(svg)}


def single_pass_html(parts: list[Part]) -> str:
    """All parts' bodies in one HTML document (for measuring one plain WeasyPrint render of the same content)."""
    head, bodies = None, []
    for part in parts:
        before, _sep, rest = part.html.partition("<body>")
        head = head or before
        bodies.append(rest.rsplit("</body>", 1)[0])
    return head + "<body>" + "<div style='break-before: page'></div>".join(bodies) + "</body></html>"
