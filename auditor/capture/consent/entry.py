"""The opt-out flow's ways in: the "Do Not Sell or Share" link, the banner's buttons, a cookie-settings control.

Each is found by its visible text and role wherever it lives (the document, open shadow roots, frames) and opened
with :func:`.opening.open_by_click`. Following the link records where it leads (:class:`DnsTarget`: a page, a new
tab, a panel, nothing); the page it reaches may be on another site, which is recorded as such and looked at only
(one hop: nothing there is followed further).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.capture.consent.actions import StepLog, click
from auditor.capture.consent.classify import (
    classify_button,
    login_wall_reason,
    soft_404_phrase,
    verification_demand,
)
from auditor.capture.consent.dom import KNOWN_BANNERS, call, viewport_shot
from auditor.capture.consent.opening import Opened, open_by_click, settle_target
from auditor.capture.consent.panel import OpenPanel, read_panel, wait_hidden
from auditor.capture.visit import Visit
from auditor.domains import is_third_party
from auditor.evidence import Link
from auditor.evidence.consent import (
    Banner,
    ChoicePath,
    ConsentButton,
    DnsTarget,
    FormField,
    FormInfo,
    OptOutFlow,
)
from auditor.textmatch import LinkMatch, LinkVocabulary, normalize

SETTINGS_WORDS = ("cookie", "privacy", "consent", "tracking")


@dataclass
class FoundLink:
    frame: Frame
    raw: dict[str, Any]

    @property
    def text(self) -> str:
        return self.raw.get("text") or self.raw.get("aria_label") or self.raw.get("title") or ""


def banner_paths(banner: Banner) -> list[ChoicePath]:
    """The banner's one-click paths, counted (not taken): "Accept" to opt in, "Reject" to opt out."""
    paths = []
    shown = [b for b in banner.buttons if b.visible]
    accept = next((b for b in shown if b.kind == "accept"), None)
    reject = next((b for b in shown if b.kind == "reject"), None)
    if accept is not None:
        paths.append(
            ChoicePath(direction="opt-in", entry="banner", steps=[accept.described()], count=1, measured=False)
        )
    if reject is not None:
        paths.append(
            ChoicePath(direction="opt-out", entry="banner", steps=[reject.described()], count=1, measured=False)
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
    """The visible "Do Not Sell or Share" (or "Your Privacy Choices") link or button, footer and main frame first."""
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
    """Click the opt-out link and capture where it leads: a page (status, soft 404, forms, login wall, a demand to
    verify identity), a new tab, or a panel. Returns the target, the controls found there, and the page in front."""
    raw = link.raw
    target = DnsTarget(
        link_text=link.text,
        link_href=raw.get("href", ""),
        link_in_footer=raw.get("in_footer", False),
        link_in_shadow_root=raw.get("in_shadow_root", False),
        link_frame_url="" if link.frame.parent_frame is None else link.frame.url[:2000],
        outcome="nothing",
    )
    href = raw.get("href", "")
    what = f'opt-out link "{link.text}"'
    if raw.get("target") == "_blank" and href.startswith(("http://", "https://")):
        # The audit closes new windows (capture_page), so a link that opens a tab is loaded in this one.
        log.add("navigate", href, f"{what} opens a new tab; loaded in the same tab", user=record)
        target.click = "opened the link's address in the same tab (the link opens a new tab)"
        try:
            response = await page.goto(href, wait_until="domcontentloaded", timeout=20_000)
        except PlaywrightError as error:
            target.outcome, target.error = "error", f"the link's address could not be loaded: {error}"[:300]
            return target, None, page
        await settle_target(page, log, "new_tab")
        opened = Opened(
            "new_tab", page, page.main_frame, None, "the page", status=response.status if response else None
        )
    else:
        steps_before = len(log.steps)
        opened = await open_by_click(visit, page, link.frame, raw["ref"], what, log, user=record)
        clicks = [s for s in log.steps[steps_before:] if s.action in ("click", "js_click")]
        if record and clicks:
            target.click = "pointer click" if clicks[0].action == "click" else clicks[0].detail
    page = opened.page
    target.outcome = opened.outcome
    target.status = opened.status
    target.page_changed = opened.page_changed
    target.error = opened.error
    if opened.outcome in ("nothing", "error"):
        await _page_facts(visit, page, target, record)
        return target, None, page
    panel = await _capture_target(visit, page, target, opened, banner, record)
    return target, panel, page


async def _page_facts(visit: Visit, page: Page, target: DnsTarget, record: bool) -> dict:
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
    if record:
        prefix = visit.artifact_prefix
        target.screenshot = await viewport_shot(
            page, visit.site_dir / prefix / "dns-target.png", f"{prefix}/dns-target.png"
        )
    return facts


async def _capture_target(
    visit: Visit, page: Page, target: DnsTarget, opened: Opened, banner: Banner | None, record: bool
) -> OpenPanel | None:
    facts = await _page_facts(visit, page, target, record)
    fields = [field for form in target.forms for field in form.fields]
    if opened.outcome in ("page", "new_tab"):
        target.off_site = is_third_party(page.url, visit.url)
        if target.status is None or target.status < 400:
            target.soft_404 = soft_404_phrase(facts["title"], facts["text"])
        target.login_wall = login_wall_reason(page.url, facts["text"], facts["password_fields"])
        target.verification = verification_demand(facts["text"], fields)
        exclude = await _same_banner(page, banner)
        panel = await read_panel(
            visit,
            page,
            page.main_frame,
            None,
            "opt-out page" + (" (on another site)" if target.off_site else ""),
            f'the "{target.link_text}" link',
            None,
            exclude=exclude,
        )
        if record:
            target.controls = panel.pc.toggles
            target.buttons = [b for b in panel.pc.buttons if b.kind in ("reject", "do_not_sell", "save", "settings")]
        return panel
    assert opened.frame is not None
    panel = await read_panel(
        visit,
        page,
        opened.frame,
        opened.root_ref,
        opened.found_by,
        f'the "{target.link_text}" link',
        "preference-center.png" if record else None,
    )
    target.verification = verification_demand(panel.pc.text, [])
    if record:
        target.dialog = panel.pc
    return panel


async def _same_banner(page: Page, banner: Banner | None) -> str:
    """The consent banner on the page the link reached, when it is the one the homepage showed (left out there)."""
    if banner is None:
        return ""
    with contextlib.suppress(PlaywrightError):
        for found in await call(page, "scanBanners", {"known": KNOWN_BANNERS}):
            if normalize(found["text"])[:120] == normalize(banner.text)[:120]:
                return found["ref"]
    return ""


async def read_opened_dialog(
    visit: Visit, page: Page, opened: Opened, opened_by: str, shot: str | None = "preference-center.png"
) -> OpenPanel | None:
    """The panel a click opened in the page (a dialog, drawer or frame), read; None when it opened no panel."""
    if opened.outcome != "dialog" or opened.frame is None:
        return None
    return await read_panel(visit, page, opened.frame, opened.root_ref, opened.found_by, opened_by, shot)


async def read_opened(
    visit: Visit, opened: Opened, opened_by: str, shot: str | None = None, page_found_by: str = "opt-out page"
) -> OpenPanel | None:
    """The controls of what a click opened, read only: the panel (a dialog, drawer or frame; photographed as ``shot``)
    or the whole page it reached; None when it opened neither. The banner's settings button and the opt-in path read
    what they opened this way."""
    panel = await read_opened_dialog(visit, opened.page, opened, opened_by, shot)
    if panel is None and opened.outcome in ("page", "new_tab"):
        page = opened.page
        panel = await read_panel(visit, page, page.main_frame, None, page_found_by, opened_by, None)
    return panel


async def click_banner_button(page: Page, banner: Banner, kind: str, log: StepLog) -> ConsentButton | None:
    """Click the banner's first visible button of ``kind`` ("accept", "reject") and wait (bounded) for the banner to
    close; the button clicked, or None when there is none or it could not be clicked."""
    button = next((b for b in banner.buttons if b.visible and b.kind == kind), None)
    frame = await frame_of(page, banner.frame_url)
    if button is None or frame is None:
        return None
    if not await click(frame, button.ref, f"banner button {button.described()}", log):
        return None
    await wait_hidden(page, banner.ref, log, "banner", frame)
    return button


def make_opener(visit: Visit, page: Page, log: StepLog):
    """The panel-to-panel step :func:`.panel.use_panel` takes: click a settings button, read what it opened."""

    async def open_panel(frame: Frame, ref: str, what: str) -> OpenPanel | None:
        return await read_opened_dialog(visit, page, await open_by_click(visit, page, frame, ref, what, log), what)

    return open_panel


async def banner_route(
    visit: Visit, page: Page, banner: Banner, flow: OptOutFlow, log: StepLog
) -> tuple[OpenPanel | None, str]:
    """The banner's settings (or "Do Not Sell") button: the preference center it opens, and the button's label."""
    shown = [b for b in banner.buttons if b.visible]
    opener = next((b for b in shown if b.kind in ("do_not_sell", "settings")), None)
    frame = await frame_of(page, banner.frame_url)
    if opener is None or frame is None:
        return None, ""
    flow.entry = "banner_settings"
    label = opener.described()
    opened = await open_by_click(visit, page, frame, opener.ref, f"banner button {label}", log)
    what = f"the banner's {label} button"
    return await read_opened(visit, opened, what, "preference-center.png", page_found_by="settings page"), label


async def banner_reject(visit: Visit, page: Page, banner: Banner, flow: OptOutFlow, log: StepLog) -> bool:
    """The banner's one-click refusal ("Reject all", "Decline"): the last way in when nothing else opened."""
    reject = await click_banner_button(page, banner, "reject", log)
    if reject is None:
        return False
    flow.entry = "banner_reject"
    flow.completed = True
    flow.saved_with = reject.text or reject.aria_label
    flow.paths.append(
        ChoicePath(direction="opt-out", entry="banner", steps=[reject.described()], count=1, measured=True)
    )
    return True


async def settings_button_route(visit: Visit, page: Page, log: StepLog) -> tuple[OpenPanel | None, str]:
    """A "Cookie Settings" / privacy-preferences button or a floating consent icon that opens the settings."""
    candidates = []
    for frame in page.frames:
        try:
            raw_links = await call(frame, "findLinks")
        except PlaywrightError:
            continue
        for raw in raw_links:
            words = normalize(" ".join((raw["text"], raw["aria_label"], raw["title"])))
            if not raw["visible"] or not any(w in words for w in SETTINGS_WORDS):
                continue
            kind = classify_button(raw["text"], raw["aria_label"] or raw["title"], "", raw["href"])
            icon = not raw["text"] and kind in ("other", "info", "settings")  # a floating icon named by its label
            if kind != "settings" and not icon:
                continue
            href = raw["href"]
            if href and not href.startswith("javascript:") and urldefrag(href).url != urldefrag(page.url).url:
                continue  # a link to another page (a cookie policy), not a button that opens settings
            candidates.append((frame, raw))
    for frame, raw in candidates[:3]:
        label = f'"{raw["text"] or raw["aria_label"] or raw["title"]}"'
        opened = await open_by_click(visit, page, frame, raw["ref"], f"settings button {label}", log)
        panel = await read_opened_dialog(visit, page, opened, f"the {label} button")
        if panel is not None:
            return panel, label
    return None, ""


async def frame_of(page: Page, frame_url: str) -> Frame | None:
    """The frame a banner was read in (its ``frame_url``; the main frame when empty), if it is still there."""
    if not frame_url:
        return page.main_frame
    return next((f for f in page.frames if f.url[:2000] == frame_url), None)
