"""Record the icons inside or next to the "Your Privacy Choices" / "Do Not Sell" links (baseline visit only).

§7015 requires the alternative opt-out link to carry the opt-out icon "adjacent to the title", about the
size of the page's other icons. This gatherer reads the live homepage (main frame and open shadow roots)
and records each such link, the images/SVGs inside it or within a few pixels on the same line, and the
heights of the page's other small icons. It runs first, before any gatherer clicks anything.
"""

from __future__ import annotations

import asyncio
from importlib.resources import files

from playwright.async_api import Error as PlaywrightError

from auditor.capture.visit import Visit
from auditor.evidence.notices import ChoiceLinkEvidence
from auditor.evidence.profiles import BASELINE

_JS = files("auditor.capture").joinpath("js/choice_links.js").read_text(encoding="utf-8")
PHRASES = ("privacy choices", "do not sell", "opt-out", "opt out")
MAX_GAP_PX = 12


async def gather_choice_links(visit: Visit) -> None:
    """Fill ``visit.capture.choice_links`` from the homepage as it stands (baseline visit only)."""
    if visit.profile != BASELINE:
        return
    try:
        found = await asyncio.wait_for(visit.page.evaluate(_JS, [list(PHRASES), MAX_GAP_PX]), visit.limits.step_timeout)
    except (PlaywrightError, TimeoutError):
        return  # no evidence rather than wrong evidence: the icon rule then says it could not look
    visit.capture.choice_links = ChoiceLinkEvidence.model_validate(found)
