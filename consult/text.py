"""User text to safe HTML: Markdown rendered, then sanitised, so no markup or script gets through."""
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Images are left out on purpose: a submission must not make a browser or the PDF renderer fetch anything.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5",
    "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Each block of a text takes its direction from its own words (dir="auto"): a paragraph in Arabic inside an English
# text, or the reverse, keeps its punctuation where its writer put it, whatever the page's direction.
OWN_DIRECTION = {tag: {"dir": "auto"} for tag in ("p", "li", "blockquote", "h3", "h4", "h5", "h6", "td", "th")}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML safe to put in a page or a PDF."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_URL_SCHEMES,
                      set_tag_attribute_values=OWN_DIRECTION, link_rel="noopener noreferrer nofollow")
    return Markup(clean)  # noqa: S704  # nosec B704 (clean is the output of nh3's allow-list sanitiser)


def plain_excerpt(text: str | None, length: int = 240) -> str:
    """The first characters of a text, cut at a word, for lists."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[: length].rsplit(" ", 1)[0] + "…"
