"""The DRAFT watermark as vector outlines (an SVG of paths, not text), so copying text out of a draft's pages
gives the page's words without stray letters of the watermark."""
import base64
import io
from functools import lru_cache


@lru_cache(maxsize=8)
def watermark_data_url(word: str) -> str:
    """The word drawn diagonally in light grey outlines, as an SVG data URL for the marks document."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.6, 5.2))
    figure.patch.set_alpha(0)
    figure.text(0.5, 0.5, word, fontsize=96, fontweight="bold", family="DejaVu Sans", color="#000000", alpha=0.09,
                rotation=35, ha="center", va="center")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "consult-watermark"}):
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
