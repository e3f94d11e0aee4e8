"""Demo data of the reports area: the organisers' logos and the settings of a draft outcomes report.

Nothing is built at seed time (rendering would slow every demo start): the demo chair builds the draft report,
the executive brief and the agenda from Chair > Reports and exports; each page carries the DRAFT watermark until
the chair sets the status to Final.
"""
from consult.demo.foundation import Demo
from consult.reports import services

# Plain wordmarks drawn for the demo (not the organisations' registered logos): a coloured band and the name.
ORGANISERS = (("ITU", "#0a5a9c"), ("UNESCO", "#1d4f91"), ("UNDP", "#005aa8"), ("UNCTAD", "#3a6f9f"))


def wordmark_svg(name: str, colour: str) -> bytes:
    """A small SVG wordmark: the name in white on a coloured band."""
    width = 40 + 22 * len(name)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" viewBox="0 0 {width} 60">'
            f'<rect width="{width}" height="60" rx="6" fill="{colour}"/>'
            f'<text x="{width // 2}" y="40" font-family="DejaVu Sans, sans-serif" font-size="30" font-weight="bold" '
            f'fill="#ffffff" text-anchor="middle">{name}</text></svg>').encode("utf-8")


def seed_reports(demo: Demo) -> None:
    """The co-organisers' wordmarks and a draft document symbol; where the reports page is."""
    consultation = demo.consultation
    services.save_report_settings(consultation, actor=demo.chair, document_symbol=f"WSIS/OCP/{consultation.year}/OUT",
                                  status="draft", declined_in_annex="without_names", is_naming_submitters=False,
                                  is_listing_withdrawn=False)
    for name, colour in ORGANISERS:
        services.add_report_logo(consultation, actor=demo.chair, organiser=name, data=wordmark_svg(name, colour),
                                 filename=f"{name.lower()}.svg")
    demo.extra["reports_page"] = "/reports/"
