"""Charts of the outcomes report, drawn server-side with matplotlib as SVG and embedded as data URLs."""
import base64
import io
from functools import lru_cache


def bar_chart_svg(labels: list[str], values: list[int], *, title: str, horizontal: bool = True) -> bytes:
    """A bar chart as SVG bytes; text stays text (svg.fonttype none) so it is crisp and searchable."""
    return _bar_chart_svg(tuple(labels), tuple(values), title, horizontal)


@lru_cache(maxsize=64)
def _bar_chart_svg(labels: tuple, values: tuple, title: str, horizontal: bool) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    height = max(1.6, 0.28 * len(labels) + 0.9) if horizontal else 3.2
    figure = Figure(figsize=(6.4, height))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    color = "#1f5f8b"
    if horizontal:
        bars = axes.barh(positions, values, color=color)
        axes.set_yticks(positions, labels, fontsize=8)
        axes.invert_yaxis()
        axes.bar_label(bars, fontsize=7, padding=2)
    else:
        bars = axes.bar(positions, values, color=color)
        axes.set_xticks(positions, labels, fontsize=8)
        axes.bar_label(bars, fontsize=7, padding=2)
    axes.set_title(title, fontsize=10)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "consult", "font.family": "DejaVu Sans"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def svg_data_url(svg: bytes) -> str:
    """The SVG as a data URL for an <img src>."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def chart_alt_text(title: str, labels: list[str], values: list[int]) -> str:
    """The chart's figures in words, for the image's alt text."""
    figures = "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    return f"{title}. {figures}." if figures else f"{title}: no data."
