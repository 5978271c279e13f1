"""Text and headings of a privacy-policy page, from its HTML, with the standard library only.

Content that is never rendered (script, style, noscript, template, svg, iframe fallback, title) is
dropped. Content that is merely hidden right now (``hidden``, ``display:none``, collapsed accordions)
is kept on purpose: policies often fold their California section into an accordion, and it is still
part of the policy the site publishes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "title"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr",
    "html", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul", *_HEADINGS,
})  # fmt: skip
_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u00ad\ufeff]")


def extract_text_from_html(html: str) -> tuple[str, list[str]]:
    """Visible text of a page (one line per block, whitespace collapsed) and its headings.

    Headings are the text of ``h1``–``h6`` and of ``role="heading"`` elements, in document order.
    """
    parser = _VisibleTextParser()
    parser.feed(html)
    parser.close()
    lines = (_WHITESPACE.sub(" ", line).strip() for line in "".join(parser.chunks).split("\n"))
    return "\n".join(line for line in lines if line), parser.headings


class _VisibleTextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.headings: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._heading_tag: str | None = None
        self._heading_depth = 0
        self._heading_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            self._skip_depth += tag == self._skip_tag
            return
        if tag in _SKIPPED:
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in _BLOCKS:
            self._boundary()
        if tag in _HEADINGS:
            self._end_heading()  # an unclosed heading ends where the next one starts
            self._heading_tag, self._heading_depth = tag, 1
        elif self._heading_tag is None and dict(attrs).get("role") == "heading":
            self._heading_tag, self._heading_depth = tag, 1
        elif tag == self._heading_tag:
            self._heading_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if self._heading_tag is not None:
            if tag in _HEADINGS and self._heading_tag in _HEADINGS:
                self._end_heading()
            elif tag == self._heading_tag:
                self._heading_depth -= 1
                if self._heading_depth == 0:
                    self._end_heading()
        if tag in _BLOCKS:
            self._boundary()

    def handle_data(self, data: str) -> None:
        if self._skip_tag is not None:
            return
        # Newlines in the source are not block boundaries: only tags make lines.
        text = _WHITESPACE.sub(" ", _INVISIBLE.sub("", data))
        self.chunks.append(text)
        if self._heading_tag is not None:
            self._heading_parts.append(text)

    def close(self) -> None:
        super().close()
        self._end_heading()

    def _boundary(self) -> None:
        self.chunks.append("\n")
        if self._heading_tag is not None:
            self._heading_parts.append(" ")

    def _end_heading(self) -> None:
        if self._heading_tag is None:
            return
        heading = " ".join("".join(self._heading_parts).split())
        if heading:
            self.headings.append(heading)
        self._heading_tag, self._heading_depth, self._heading_parts = None, 0, []
