"""The opt-out flow's way in: the "Do Not Sell or Share" link, the banner's buttons, a cookie-settings button.

Finding and following the link records where it leads (:class:`DnsTarget`: a page, a new tab, an in-page
dialog, nothing); the banner and the settings buttons open the preference center through one route
(:func:`open_preference_center`). Every click, navigation and wait goes into the step log.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Response

from auditor.capture.consent.actions import StepLog, click
from auditor.capture.consent.classify import classify_button, login_wall_reason, soft_404_phrase
from auditor.capture.consent.dom import call, viewport_shot
from auditor.capture.consent.panel import OPTOUT_BUTTON_KINDS, OpenPanel, button_label, read_panel, wait_hidden
from auditor.capture.page import PageLimits, settle
from auditor.capture.visit import Visit
from auditor.evidence import Link
from auditor.evidence.consent import Banner, ChoicePath, DnsTarget, FormField, FormInfo, OptOutFlow
from auditor.textmatch import LinkMatch, LinkVocabulary, normalize

DIALOG_WAIT_MS = 5000
LATE_PANEL_WAIT_MS = 2000
TARGET_SETTLE = PageLimits(navigation_timeout=20.0, settle_max=6.0, quiet_window=0.5)
PAGE_BUTTON_KINDS = ("reject", "do_not_sell", "save", "accept", "settings")


@dataclass
class FoundLink:
    frame: Frame
    raw: dict[str, Any]

    @property
    def text(self) -> str:
        return self.raw.get("text") or self.raw.get("aria_label") or self.raw.get("title") or ""


@dataclass
class Opener:
    """A control that should open the preference center: a banner button or a cookie-settings button."""

    frame: Frame
    ref: str
    label: str  # as the step log names it, quoted
    role: str  # "banner button", "settings button": what the step log calls it
    opened_by: str  # what the evidence says opened the preference center


def banner_paths(banner: Banner) -> list[ChoicePath]:
    """The banner's one-click paths, counted (not taken): "Accept" to opt in, "Reject" to opt out."""
    paths = []
    shown = [b for b in banner.buttons if b.visible]
    accept = next((b for b in shown if b.kind == "accept"), None)
    reject = next((b for b in shown if b.kind == "reject"), None)
    if accept is not None:
        paths.append(
            ChoicePath(direction="opt-in", entry="banner", steps=[button_label(accept)], count=1, measured=False)
        )
    if reject is not None:
        paths.append(
            ChoicePath(direction="opt-out", entry="banner", steps=[button_label(reject)], count=1, measured=False)
        )
    return paths


def dns_link_matches(raw_links: list[dict[str, Any]], vocabulary: LinkVocabulary) -> list[tuple[dict, LinkMatch]]:
    """The visible links of one frame (as ``findLinks`` reports them) that ``vocabulary`` counts, with their match."""
    links = [
        Link(
            tag=r["tag"],
            text=r["text"],
            aria_label=r["aria_label"],
            title=r["title"],
            href=r["href"],
            visible=r["visible"],
            in_footer=r["in_footer"],
            in_shadow_root=r["in_shadow_root"],
        )
        for r in raw_links
    ]
    by_id = {id(link): raw for link, raw in zip(links, raw_links, strict=True)}
    return [(by_id[id(match.link)], match) for match in vocabulary.match(links) if match.link.visible]


async def find_dns_link(page: Page, vocabulary: LinkVocabulary) -> FoundLink | None:
    """The visible "Do Not Sell or Share" (or "Your Privacy Choices") link, footer and main frame first."""
    found: list[tuple[tuple, FoundLink]] = []
    for frame in page.frames:
        try:
            raw_links = await call(frame, "findLinks")
        except PlaywrightError:
            continue
        for raw, match in dns_link_matches(raw_links, vocabulary):
            rank = (not match.link.in_footer, frame.parent_frame is not None, vocabulary.phrases.index(match.phrase))
            found.append((rank, FoundLink(frame, {**raw, "frame_url": frame.url})))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    return found[0][1]


async def follow_link(
    visit: Visit, page: Page, link: FoundLink, log: StepLog, banner: Banner | None, *, record: bool
) -> tuple[DnsTarget, OpenPanel | None, Page]:
    """Click the opt-out link and capture where it leads: a page (status, soft 404, forms, login wall), a new
    tab, or an in-page dialog. Returns the target, the controls found there, and the page now in front."""
    raw = link.raw
    target = DnsTarget(
        link_text=link.text,
        link_href=raw.get("href", ""),
        link_in_footer=raw.get("in_footer", False),
        link_in_shadow_root=raw.get("in_shadow_root", False),
        link_frame_url="" if link.frame.parent_frame is None else link.frame.url[:2000],
        outcome="nothing",
    )
    statuses: dict[str, int] = {}
    popups: list[Page] = []
    navigated = asyncio.Event()
    before = urldefrag(page.url).url

    def on_response(response: Response) -> None:
        try:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                statuses[urldefrag(response.url).url] = response.status
        except PlaywrightError:
            pass

    def on_navigated(frame: Frame) -> None:
        if frame == page.main_frame and urldefrag(frame.url).url != before:
            navigated.set()

    def on_page(new_page: Page) -> None:
        popups.append(new_page)

    page.on("response", on_response)
    page.on("framenavigated", on_navigated)
    visit.context.on("page", on_page)
    try:
        href = raw.get("href", "")
        if raw.get("target") == "_blank" and href.startswith(("http://", "https://")):
            # The audit closes new windows (capture_page), so a link that opens a tab is loaded in this one.
            what = f'opt-out link "{link.text}" opens a new tab; loaded in the same tab'
            log.add("navigate", href, what, user=record)
            target.click = "opened the link's address in the same tab (the link opens a new tab)"
            dialog = None
            outcome = "new_tab"
            try:
                await page.goto(href, wait_until="domcontentloaded", timeout=TARGET_SETTLE.navigation_timeout * 1000)
            except PlaywrightError as error:
                target.outcome, target.error = "error", f"the link's address could not be loaded: {error}"[:300]
                return target, None, page
        else:
            clicked = await click(link.frame, raw["ref"], f'opt-out link "{link.text}"', log, user=record)
            if record and log.steps:
                step = log.steps[-1]
                target.click = "pointer click" if step.action == "click" else step.detail
            if not clicked:
                target.outcome, target.error = "error", "the link could not be clicked"
                return target, None, page
            outcome, dialog = await _await_outcome(page, navigated, popups, banner)
    finally:
        page.remove_listener("response", on_response)
        page.remove_listener("framenavigated", on_navigated)
        visit.context.remove_listener("page", on_page)
    if outcome == "new_tab" and popups and not popups[0].is_closed():
        page = popups[0]
    if outcome in ("page", "new_tab"):
        await _settle_target(page, log, outcome)
        late = await call(page, "waitForDialog", {"timeoutMs": LATE_PANEL_WAIT_MS, "exclude": ""})
        dialog = late.get("dialog")
        target.status = statuses.get(urldefrag(page.url).url)
    elif outcome == "dialog" and dialog is not None:
        log.add("observe", "dialog", f"opened in the page: {dialog['found_by']}")
    else:
        log.add("wait", "after the click", f"nothing opened within {DIALOG_WAIT_MS / 1000:.0f} s", ok=False)
    target.outcome = outcome  # type: ignore[assignment]  # one of DnsTarget's outcomes, by construction above
    panel = await _capture_target(visit, page, target, dialog, record)
    return target, panel, page


async def _await_outcome(
    page: Page, navigated: asyncio.Event, popups: list[Page], banner: Banner | None
) -> tuple[str, dict | None]:
    exclude = banner.ref if banner else ""
    dialog_task = asyncio.ensure_future(call(page, "waitForDialog", {"timeoutMs": DIALOG_WAIT_MS, "exclude": exclude}))
    nav_task = asyncio.ensure_future(navigated.wait())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DIALOG_WAIT_MS / 1000 + 1
    try:
        pending: set[asyncio.Future] = {dialog_task, nav_task}
        while pending and loop.time() < deadline:
            done, pending = await asyncio.wait(
                pending, timeout=deadline - loop.time(), return_when=asyncio.FIRST_COMPLETED
            )
            if popups:
                return "new_tab", None
            if nav_task in done:
                return "page", None
            if dialog_task in done:
                if dialog_task.exception() is not None:
                    continue  # the document went away: a navigation is coming
                found = dialog_task.result().get("dialog")
                if found:
                    return "dialog", found
                break
        if popups:
            return "new_tab", None
        return ("page", None) if navigated.is_set() else ("nothing", None)
    finally:
        dialog_task.cancel()
        nav_task.cancel()


async def _settle_target(page: Page, log: StepLog, outcome: str) -> None:
    with contextlib.suppress(PlaywrightError):
        await page.wait_for_load_state("domcontentloaded", timeout=TARGET_SETTLE.navigation_timeout * 1000)
    info = await settle(page, TARGET_SETTLE)
    log.add("navigate", page.url, f"{'new tab' if outcome == 'new_tab' else 'same tab'}; settled: {info.reason}")


async def _capture_target(
    visit: Visit, page: Page, target: DnsTarget, dialog: dict | None, record: bool
) -> OpenPanel | None:
    facts = await call(page, "pageFacts")
    target.url = page.url[:4096]
    target.title = facts["title"][:500]
    target.text = facts["text"][:3000]
    target.forms = [
        FormInfo(
            action=f["action"][:500],
            method=f["method"],
            submit_texts=f["submit_texts"],
            fields=[FormField(**field) for field in f["fields"][:40]],
        )
        for f in facts["forms"][:10]
    ]
    if target.outcome in ("page", "new_tab"):
        if target.status is None or target.status < 400:
            target.soft_404 = soft_404_phrase(facts["title"], facts["text"])
        target.login_wall = login_wall_reason(page.url, facts["text"], facts["password_fields"])
    prefix = visit.artifact_prefix
    if record:
        target.screenshot = await viewport_shot(
            page, visit.site_dir / prefix / "dns-target.png", f"{prefix}/dns-target.png"
        )
    if dialog:
        panel = await read_panel(
            visit,
            page,
            page.main_frame,
            dialog["ref"],
            dialog["found_by"],
            f'the "{target.link_text}" link',
            "preference-center.png" if record else None,
        )
        if record:
            target.dialog = panel.pc if panel else None
        return panel
    if target.outcome not in ("page", "new_tab"):
        return None
    panel = await read_panel(visit, page, page.main_frame, None, "opt-out page", f'the "{target.link_text}" link', None)
    if panel is None:
        return None
    relevant = [b for b in panel.pc.buttons if b.kind in PAGE_BUTTON_KINDS]
    if record:
        target.controls = panel.pc.toggles
        target.buttons = relevant
    panel.pc.buttons = relevant
    return panel if panel.pc.toggles or relevant else None


async def open_preference_center(
    visit: Visit, page: Page, opener: Opener, exclude_ref: str, log: StepLog
) -> tuple[OpenPanel | None, bool]:
    """Click ``opener`` and read the preference center it opens, photographed.

    Returns the panel (None when nothing opened within the wait) and whether the click happened at all.
    ``exclude_ref`` is the banner, which is not the preference center even when it is still showing.
    """
    if not await click(opener.frame, opener.ref, f"{opener.role} {opener.label}", log):
        return None, False
    found = await call(page, "waitForDialog", {"timeoutMs": DIALOG_WAIT_MS, "exclude": exclude_ref})
    dialog = found.get("dialog")
    if not dialog:
        return None, True
    log.add("observe", "dialog", f"opened: {dialog['found_by']}")
    panel = await read_panel(
        visit, page, page.main_frame, dialog["ref"], dialog["found_by"], opener.opened_by, "preference-center.png"
    )
    return panel, True


async def banner_route(
    visit: Visit, page: Page, banner: Banner, flow: OptOutFlow, log: StepLog
) -> tuple[OpenPanel | None, str]:
    """No opt-out link: the banner's settings (or "Do Not Sell") button, else its one-click reject."""
    shown = [b for b in banner.buttons if b.visible]
    opener = next((b for b in shown if b.kind in ("do_not_sell", "settings")), None)
    frame = await _frame_of(page, banner.frame_url)
    if opener is not None and frame is not None:
        flow.entry = "banner_settings"
        label = button_label(opener)
        banner_button = Opener(frame, opener.ref, label, "banner button", f"the banner's {label} button")
        panel, clicked = await open_preference_center(visit, page, banner_button, banner.ref, log)
        if clicked and panel is None:
            log.add("wait", "after the click", f"no preference center within {DIALOG_WAIT_MS / 1000:.0f} s", ok=False)
        return panel, label
    reject = next((b for b in shown if b.kind in OPTOUT_BUTTON_KINDS), None)
    if reject is not None and frame is not None:
        flow.entry = "banner_reject"
        label = button_label(reject)
        if await click(frame, reject.ref, f"banner button {label}", log):
            await wait_hidden(page, banner.ref, log, "banner")
            flow.completed = True
            flow.saved_with = reject.text or reject.aria_label
            flow.paths.append(ChoicePath(direction="opt-out", entry="banner", steps=[label], count=1, measured=True))
        return None, label
    return None, ""


async def settings_button_route(
    visit: Visit, page: Page, banner: Banner | None, log: StepLog
) -> tuple[OpenPanel | None, str]:
    """A "Cookie Settings" / privacy-preferences button or floating icon that opens the preference center."""
    candidates = []
    for frame in page.frames:
        try:
            raw_links = await call(frame, "findLinks")
        except PlaywrightError:
            continue
        for raw in raw_links:
            words = normalize(" ".join((raw["text"], raw["aria_label"], raw["title"])))
            if not raw["visible"] or not any(w in words for w in ("cookie", "privacy", "consent")):
                continue
            if classify_button(raw["text"], raw["aria_label"] or raw["title"], "", raw["href"]) != "settings":
                continue
            href = raw["href"]
            if href and not href.startswith("javascript:") and urldefrag(href).url != urldefrag(page.url).url:
                continue  # a link to another page (a cookie policy), not a button that opens settings
            candidates.append((frame, raw))
    for frame, raw in candidates[:2]:
        label = f'"{raw["text"] or raw["aria_label"] or raw["title"]}"'
        button = Opener(frame, raw["ref"], label, "settings button", f"the {label} button")
        panel, _ = await open_preference_center(visit, page, button, banner.ref if banner else "", log)
        if panel is not None:
            return panel, label
    return None, ""


async def _frame_of(page: Page, frame_url: str) -> Frame | None:
    if not frame_url:
        return page.main_frame
    return next((f for f in page.frames if f.url[:2000] == frame_url), None)
