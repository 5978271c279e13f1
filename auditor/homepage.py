"""When a visit's homepage is of no use, defined once.

Nothing on such a page can be judged, and the site's other visits would meet the same: capture stops visiting the
site (:func:`auditor.capture.page.homepage_unusable`) and the engine makes the rules that read the visit
``not_assessable`` (:func:`auditor.engine.unusable_homepage`). Each words the flaw its own way; both find it here.
"""

from __future__ import annotations

from typing import Literal

from auditor.domains import is_third_party
from auditor.evidence import PageCapture

HomepageFlaw = Literal["not_loaded", "bot_check", "other_site", "http_error", "incomplete"]


def homepage_flaw(page: PageCapture) -> tuple[HomepageFlaw, str] | None:
    """What makes ``page``, as a visit's homepage, of no use, with its detail; None when it is usable. The first that
    applies, in this order: it did not load, it was a bot check, it redirected to another site, it answered an HTTP
    error, it was not fully captured."""
    if page.error:
        return "not_loaded", page.error
    if page.bot_wall:
        return "bot_check", page.bot_wall
    if page.final_url and is_third_party(page.final_url, page.requested_url):
        return "other_site", page.final_url
    if page.status is not None and page.status >= 400:
        return "http_error", str(page.status)
    if page.incomplete:
        return "incomplete", page.incomplete
    return None
