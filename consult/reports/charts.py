"""Charts of the outcomes report, drawn server-side with matplotlib as SVG and embedded as data URLs.

Counts get whole-number axes with a unit, every bar carries its value, and bars are a dark grey-blue on white
with a hatch, so a chart reads the same printed in greyscale.
"""
import base64
import io
from functools import lru_cache


def bar_chart_svg(labels: list[str], values: list[int], *, title: str, unit: str, horizontal: bool = True) -> bytes:
    """A bar chart as SVG bytes; text stays text (svg.fonttype none) so it is crisp and searchable."""
    return _bar_chart_svg(tuple(labels), tuple(values), title, unit, horizontal)


@lru_cache(maxsize=64)
def _bar_chart_svg(labels: tuple, values: tuple, title: str, unit: str, horizontal: bool) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    height = max(1.8, 0.28 * len(labels) + 1.1) if horizontal else 3.2
    figure = Figure(figsize=(6.4, height))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    style = {"color": "#2b4a66", "edgecolor": "#111111", "linewidth": 0.4, "hatch": "///"}
    with matplotlib.rc_context({"hatch.color": "#9fb3c4", "hatch.linewidth": 0.5}):
        if horizontal:
            bars = axes.barh(positions, values, **style)
            axes.set_yticks(positions, labels, fontsize=8)
            axes.invert_yaxis()
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_xlabel(unit, fontsize=8)
        else:
            bars = axes.bar(positions, values, **style)
            axes.set_xticks(positions, labels, fontsize=8)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_ylabel(unit, fontsize=8)
        axes.bar_label(bars, fontsize=7, padding=2, fmt="%d")
        axes.set_title(title, fontsize=10, loc="left")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(labelsize=8)
        if horizontal:
            axes.margins(x=0.08)
        else:
            axes.margins(y=0.12)
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
