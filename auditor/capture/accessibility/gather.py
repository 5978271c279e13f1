"""The accessibility gatherer (baseline visit, last): axe-core on each notice, the keyboard walk, the link's contrast.

It reads where the notices are from the evidence already captured — the banner and its buttons (consent), the
opt-out link (the homepage's links, matched with the run's opt-out vocabulary), the privacy policy page (kept
open by the policy gatherer) — and never calls the consent driver. Order, cheapest and least disturbing first:
the policy page; the banner, cold; the opt-out link's contrast and its footer; then the keyboard walk, which opens
the opt-out (and so changes the page); last the preference center behind the banner's settings button when the
walk went through the opt-out link. Nothing is saved: every toggle switched is switched back.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.accessibility.axe import WCAG_TAGS, axe_version, call, scan
from auditor.capture.accessibility.keyboard import Entry, Opened, walk_to_optout
from auditor.capture.failures import one_line, stopped_within
from auditor.capture.kept_pages import close_page, take_page
from auditor.capture.policy import PAGE_KEY as POLICY_PAGE
from auditor.capture.visit import Visit
from auditor.evidence import Link
from auditor.evidence.accessibility import (
    AccessibilityEvidence,
    LinkColours,
    NoticeKind,
    NoticeOutcome,
    NoticeScan,
    OptOutLinkContrast,
)
from auditor.evidence.consent import Banner, ConsentButton
from auditor.evidence.notices import PolicyEvidence

BUDGET = 60.0  # at most, seconds for the whole gatherer; what it has not reached by then is recorded as not scanned
WALK_BUDGET = 25.0
NOTICES: tuple[NoticeKind, ...] = ("banner", "preference_center", "optout", "footer", "policy")


async def gather_accessibility(visit: Visit) -> None:
    """Fill ``visit.capture.accessibility`` (the baseline visit's gatherer; other visits see the same notices)."""
    started = time.monotonic()
    evidence = AccessibilityEvidence(axe_version=axe_version(), wcag_tags=list(WCAG_TAGS))
    visit.capture.accessibility = evidence
    policy_page = take_page(visit, POLICY_PAGE)
    budget = min(BUDGET, 4 * visit.limits.step_timeout)  # follows --timeout, as the other steps' budgets do
    try:
        stopped = await stopped_within(
            _capture(visit, evidence, policy_page),
            budget,
            over_budget=f"the accessibility capture took longer than {budget:g} s and was stopped",
            failed="the accessibility capture stopped",
        )
        if stopped:
            evidence.errors.append(stopped)
    finally:
        await close_page(policy_page, visit.limits.step_timeout)
        stopped = evidence.errors[-1] if evidence.errors else "not reached"
        done = {n.notice for n in evidence.notices}
        for notice in NOTICES:
            if notice not in done:
                evidence.notices.append(NoticeScan(notice=notice, outcome="not_opened", reason=stopped))
        evidence.duration_ms = round((time.monotonic() - started) * 1000, 1)


async def _capture(visit: Visit, evidence: AccessibilityEvidence, policy_page: Page | None) -> None:
    page = visit.page
    shots = visit.site_dir / visit.artifact_prefix / "accessibility"
    prefix = f"{visit.artifact_prefix}/accessibility"

    async def add_scan(target: Page, notice: NoticeKind, selector: str | None, frame: Frame | None = None, **fields):
        found = await scan(target, frame or target.main_frame, notice, selector, shots, prefix, **fields)
        evidence.notices.append(found)

    def absent(notice: NoticeKind, reason: str, outcome: NoticeOutcome = "absent") -> None:
        evidence.notices.append(NoticeScan(notice=notice, outcome=outcome, reason=reason))

    if policy_page is not None:
        try:
            await add_scan(policy_page, "policy", None, reason="the privacy policy page the policy search loaded")
        finally:
            await close_page(policy_page, visit.limits.step_timeout)
        # While another page of the context is in front, Chromium gives the homepage animation frames only every
        # second or so once keys are pressed in it: dialogs that open on a frame seem to open late, and each
        # pointer click waits for two frames (measured: 1.3-2 s per click, 20 ms with the homepage in front).
        with contextlib.suppress(PlaywrightError):
            await page.bring_to_front()
    else:
        absent("policy", *without_policy_page(visit.capture.policy))

    consent = visit.capture.consent
    banner = consent.banner if consent is not None else None
    banner_selector = _selector_of(banner.ref) if banner is not None and banner.ref else None
    banner_frame = _frame_at(page, banner.frame_url) if banner is not None else None
    if banner is not None and banner_selector and banner_frame is not None:
        reason = f"the banner as first shown ({banner.found_by})"
        await add_scan(page, "banner", banner_selector, banner_frame, reason=reason)
    elif banner is not None:
        absent("banner", "the banner's frame or its element was gone when axe was to run", "not_opened")
    else:
        absent("banner", "no consent banner was seen")

    oversized = next((cut for cut in visit.capture.homepage.truncated if cut.startswith("links")), None)
    if oversized is not None:  # axe-core and the walk over a DOM that large would take most of the site's budget
        why = f"not run: the homepage is past the capture's limits ({oversized}), and the site keeps to its budget"
        for skipped in ("footer", "optout", "preference_center"):
            absent(skipped, why, "not_opened")
        return

    link = _optout_link(visit)
    if link is not None:
        await _link_and_footer(page, link, evidence, add_scan)
    else:
        absent("footer", "the homepage shows no opt-out link")

    entry = _entry(link, banner)
    settings = _settings_button(banner)
    if entry is None:
        absent("optout", "no opt-out link and no banner settings button to open")
        absent("preference_center", "the banner has no settings button" if banner else "no consent banner was seen")
        return
    modal = bool(banner and banner.page_blocked)
    walk, opened = await walk_to_optout(page, entry, banner_selector, modal, WALK_BUDGET)
    evidence.keyboard = walk
    notice: NoticeKind = "optout" if entry.kind == "dns_link" else "preference_center"
    await _scan_opened(page, notice, opened, entry, walk.entry_reached is True, add_scan, absent)
    if notice == "optout":
        await _banner_preference_center(visit, page, banner, settings, opened, add_scan, absent)
    elif link is not None:
        absent(
            "optout", "the banner covers the page, so the walk opened its settings, not the opt-out link", "not_opened"
        )
    else:
        absent("optout", "the homepage shows no opt-out link")


def without_policy_page(policy: PolicyEvidence | None) -> tuple[str, NoticeOutcome]:
    """Why there is no policy page to scan: the site has none (absent), or the auditor could not open it."""
    if policy is None:
        return "the privacy policy search did not finish", "not_opened"
    if policy.found:
        return "the privacy policy page was closed before axe could run", "not_opened"
    linked = [c for c in policy.candidates if c.found_by != "common_path"]
    if linked:  # as the policy checks say: a policy is linked, the auditor could not read it as one
        return (
            f"the homepage links to a privacy policy ({linked[0].url}), but the page it leads to could not be read "
            "as one",
            "not_opened",
        )
    return "no privacy policy page was found: no homepage link leads to one and the usual addresses fail", "absent"


def _frame_at(page: Page, frame_url: str) -> Frame | None:
    """The frame a consent record names by URL ('' is the page itself), if it is still there."""
    if not frame_url:
        return page.main_frame
    return next((f for f in page.frames if f.url[:2000] == frame_url), None)


def _selector_of(ref: str) -> str:
    return f'[data-auditor-ref="{ref}"]'


def _optout_link(visit: Visit) -> Link | None:
    """The opt-out link the opt-out flow follows: the run's vocabulary on the homepage's links, footer first."""
    matches = [m.link for m in visit.dns_link.match(visit.capture.homepage.links) if m.link.visible]
    matches.sort(key=lambda link: (not link.in_footer, not link.in_main_frame))
    return next((link for link in matches if link.in_main_frame), None)


def _settings_button(banner: Banner | None) -> ConsentButton | None:
    if banner is None or banner.frame_url:
        return None
    return next((b for b in banner.buttons if b.visible and b.ref and b.kind in ("do_not_sell", "settings")), None)


def _entry(link: Link | None, banner: Banner | None) -> Entry | None:
    """Where a keyboard visitor starts the opt-out: the opt-out link, or the banner's settings button when the
    banner covers the page (the link cannot be reached past it) or there is no link."""
    settings = _settings_button(banner)
    if settings is not None and (link is None or (banner is not None and banner.page_blocked)):
        label = f'the banner\'s "{settings.text or settings.aria_label}" button'
        return Entry("banner_settings", label, selector=_selector_of(settings.ref))
    if link is not None:
        text = link.text or link.aria_label or link.title
        return Entry("dns_link", f'the "{text}" link', text=text, href=link.href)
    return None


async def _link_and_footer(page: Page, link: Link, evidence: AccessibilityEvidence, add_scan) -> None:
    text = link.text or link.aria_label or link.title
    marked = await call(page, "markEntry", {"text": text, "href": link.href})
    if not marked.get("found"):
        evidence.notices.append(
            NoticeScan(notice="footer", outcome="not_opened", reason=f'the "{text}" link was not found in the page')
        )
        return
    measured = await call(page, "contrast", {"selector": '[data-auditor-a11y-entry="1"]'})
    if measured:
        evidence.optout_link = OptOutLinkContrast(
            link=LinkColours.model_validate(measured["link"]),
            area=measured["area"],
            peers=[LinkColours.model_validate(p) for p in measured["peers"]],
        )
    selector = measured.get("area_selector") if measured else ""
    reason = f'{measured["area"] if measured else "the area"} around the "{text}" link'
    await add_scan(page, "footer", selector or '[data-auditor-a11y-entry="1"]', reason=reason)
    with contextlib.suppress(PlaywrightError):  # the walk marks its own entry
        await page.evaluate(
            "() => document.querySelectorAll('[data-auditor-a11y-entry]').forEach("
            "(e) => e.removeAttribute('data-auditor-a11y-entry'))"
        )


async def _scan_opened(
    page: Page, notice: NoticeKind, opened: Opened | None, entry: Entry, tab_reached: bool, add_scan, absent
) -> None:
    if opened is None:
        absent(notice, f"{entry.label} opened nothing, by keyboard or by pointer", "not_opened")
        return
    if opened.http_status is not None and opened.http_status >= 400:  # the link's target rules judge a broken link
        broken = f"{entry.label} leads to an error page ({opened.description}, HTTP {opened.http_status})"
        absent(notice, broken, "not_opened")
        return
    if opened.opened_by == "keyboard":
        how = "Enter"
    else:  # Enter was pressed only if Tab reached the entry
        how = f"a pointer click ({'Enter did not' if tab_reached else 'Tab did not reach it'})"
    reason = f"{opened.description}, opened by {how} on {entry.label}"
    selector = opened.selector or None
    await add_scan(page, notice, selector, reason=reason, opened_by=opened.opened_by)


async def _banner_preference_center(
    visit: Visit,
    page: Page,
    banner: Banner | None,
    settings: ConsentButton | None,
    opened: Opened | None,
    add_scan,
    absent,
) -> None:
    """The preference center behind the banner's settings button, when the walk went through the opt-out link."""
    if settings is None:
        absent("preference_center", "the banner has no settings button" if banner else "no consent banner was seen")
        return
    label = f'the banner\'s "{settings.text or settings.aria_label}" button'
    if opened is not None and opened.kind == "page":
        absent(
            "preference_center",
            f"the opt-out link led to another page; {label} was not opened in this visit",
            "not_opened",
        )
        return
    with contextlib.suppress(PlaywrightError):
        await page.keyboard.press("Escape")
    try:
        await call(page, "markShown")
        await page.locator(_selector_of(settings.ref)).first.click(timeout=3000)
        found = None
        for _ in range(20):
            await asyncio.sleep(0.15)
            found = await call(page, "opened", {"exclude": _selector_of(banner.ref) if banner else None})
            if found:
                break
    except PlaywrightError as error:
        absent("preference_center", f"{label} could not be clicked: {one_line(error, limit=200)}", "not_opened")
        return
    if not found:
        absent("preference_center", f"{label} opened nothing", "not_opened")
        return
    if found.get("seen_before"):
        absent(
            "preference_center", f"{label} opens the dialog the opt-out link opens (checked as that)", "same_as_optout"
        )
        return
    reason = f"{found['desc']}, opened by a pointer click on {label}"
    await add_scan(page, "preference_center", found["selector"], reason=reason, opened_by="pointer")
