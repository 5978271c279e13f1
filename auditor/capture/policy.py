"""Find the privacy policy from the homepage and load it (baseline visit only).

Order of search, as a visitor would look: homepage links whose text names the policy ("Privacy Policy",
"Privacy Notice", ... "Privacy"), then links whose address contains "privacy", then the paths sites
commonly use (``/privacy``, ``/privacy-policy``, ``/legal/privacy``, ...). Candidates on the site's origin are
first fetched from the homepage (status, and whether the page mentions privacy), through the browser and so
through ``--map-host`` like any page request: a broken link or a missing path costs no page load.

The first candidate that loads and reads like a policy is kept as ``pages["privacy_policy"]`` (with its
screenshots and DOM) and its text, extracted from the HTML so collapsed sections count, goes into
``ProfileCapture.policy``. Nothing here judges the policy: the checks read the text later.

Runs after the gatherers that read the homepage: it opens new pages in the visit's context. The policy page it
keeps is left open for the accessibility gatherer (:mod:`auditor.capture.kept_pages`).
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Response

from auditor.capture.failures import one_line
from auditor.capture.kept_pages import keep_page
from auditor.capture.page import cap_text, capture_page, read_dom
from auditor.capture.quiet import wait_quiet
from auditor.capture.visit import Visit
from auditor.domains import is_third_party
from auditor.evidence import CaptureFailure, Link, PageCapture
from auditor.evidence.notices import FoundBy, PolicyCandidate, PolicyEvidence
from auditor.policy import extract_text_from_html
from auditor.textmatch import LinkVocabulary, contains_phrase

PAGE_KEY = "privacy_policy"
# The words of a link to the privacy policy, best first. The run hands capture (and the crawl's page plan) the
# vocabulary of the rule that counts the link (``ccpa.privacy-policy-link`` in rules/ccpa.yaml), so the search
# follows first the links the rule counts; this copy of the built-in pack's is used only when no loaded pack has that
# rule (a test keeps the two equal).
DEFAULT_POLICY_LINK_VOCABULARY = LinkVocabulary(
    phrases=("privacy policy", "privacy notice", "privacy statement", "privacy center", "privacy"),
    exclusions=("privacy choices", "do not sell", "settings", "preferences", "cookie"),
)
COMMON_PATHS = (
    "/privacy",
    "/privacy-policy",
    "/privacy-notice",
    "/privacy.html",
    "/privacy-policy.html",
    "/legal/privacy",
    "/legal/privacy-policy",
    "/policies/privacy",
    "/about/privacy",
)
MAX_LINK_CANDIDATES = 3
PROBE_TIMEOUT = 15  # seconds for the batch of same-origin fetches
MAX_TEXT_CHARS = 400_000
MIN_POLICY_CHARS = 200
_TEXT_JS = "() => (document.body ? document.body.innerText || '' : '')"

# Same-origin probes of the common paths, in the homepage: status and whether the page mentions privacy.
_PROBE_JS = """
async (urls) => Promise.all(urls.map(async (url) => {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 5000);
  try {
    if (new URL(url, location.href).origin !== location.origin) return {url, status: null, error: 'other origin'};
    const response = await fetch(url, {credentials: 'include', redirect: 'follow', signal: abort.signal});
    const type = response.headers.get('content-type') || '';
    const text = type.includes('html') || type.includes('text') ? await response.text() : '';
    return {url, status: response.status, final: response.url, privacy: /privacy/i.test(text)};
  } catch (e) {
    return {url, status: null, error: String(e).slice(0, 200)};
  } finally { clearTimeout(timer); }
}))
"""


def link_candidates(links: list[Link], page_url: str, vocabulary: LinkVocabulary) -> list[tuple[str, FoundBy, str]]:
    """(url, found_by, link text) for homepage links that may lead to the policy, best first: those whose words
    ``vocabulary`` counts, then those whose address says "privacy" (and whose text names nothing it excludes)."""
    found: list[tuple[str, FoundBy, str]] = []
    seen: set[str] = set()

    def add(href: str, how: FoundBy, text: str) -> None:
        url = urljoin(page_url, href)
        key = urldefrag(url)[0]
        if urlsplit(url).scheme in ("http", "https") and key not in seen and key != urldefrag(page_url)[0]:
            seen.add(key)
            found.append((url, how, text))

    visible = [link for link in links if link.visible and link.href]
    by_text = vocabulary.match(visible)
    # "Privacy Policy" beats a bare "Privacy"; a footer link beats one elsewhere.
    by_text.sort(key=lambda m: (vocabulary.phrases.index(m.phrase), not m.link.in_footer))
    for match in by_text:
        add(match.link.href, "link_text", match.link.text or match.link.aria_label)
    for link in visible:
        if "privacy" in link.href.lower() and not any(contains_phrase(link.text, w) for w in vocabulary.exclusions):
            add(link.href, "link_href", link.text)
    return found[:MAX_LINK_CANDIDATES]


def looks_like_policy(page: PageCapture) -> bool:
    """Loaded, not an error or bot check, and its text mentions privacy (a sanity check, not a judgement)."""
    if page.error or page.bot_wall or (page.status is not None and page.status >= 400):
        return False
    return "privacy" in (page.title + " " + page.visible_text).lower() and len(page.visible_text) >= MIN_POLICY_CHARS


async def gather_policy(visit: Visit) -> None:
    """Find, load and read the privacy policy (the baseline visit's gatherer)."""
    evidence = PolicyEvidence(found=False)
    visit.capture.policy = evidence
    budget = visit.limits.navigation_timeout + visit.limits.settle_max + 20
    try:
        await asyncio.wait_for(_search(visit, evidence), budget)
    except TimeoutError:
        evidence.error = f"the search for the privacy policy took longer than {budget:.0f} s and was stopped"
        visit.capture.failures.append(CaptureFailure(step="policy", kind="timeout", message=evidence.error))


async def _search(visit: Visit, evidence: PolicyEvidence) -> None:
    homepage = visit.capture.homepage
    page_url = homepage.final_url or visit.url
    links = link_candidates(homepage.links, page_url, visit.policy_link)
    tried = {urldefrag(url)[0] for url, _, _ in links}
    common = [u for u in (urljoin(page_url, p) for p in COMMON_PATHS) if urldefrag(u)[0] not in tried]
    # One batch of same-origin fetches first: a broken link or a missing path costs no page load.
    probes = await _probe(visit, [url for url, _, _ in links] + common, evidence)
    for url, how, text in links:
        probe = probes.get(url, {})
        # A link that names the policy is loaded unless it answers an error: a single-page app serves an empty shell
        # that says nothing about privacy until its script renders the page.
        if probe.get("status") and probe["status"] >= 400:
            evidence.candidates.append(PolicyCandidate(url=url, found_by=how, link_text=text, status=probe["status"]))
            continue
        if await _try(visit, evidence, url, how, text):  # loaded, or not fetchable from the page (another origin)
            return
    hits = []
    for url in common:
        probe = probes.get(url, {})
        if probe.get("status") and probe["status"] < 400 and probe.get("privacy"):
            hits.append(probe.get("final") or url)
        else:
            evidence.candidates.append(
                PolicyCandidate(url=url, found_by="common_path", status=probe.get("status"), error=probe.get("error"))
            )
    for url in hits[:2]:
        if await _try(visit, evidence, url, "common_path", ""):
            return


async def _probe(visit: Visit, urls: list[str], evidence: PolicyEvidence) -> dict[str, dict]:
    """Status and "mentions privacy" of each URL, fetched from the homepage; {} for what could not be fetched."""
    try:
        results = await asyncio.wait_for(visit.page.evaluate(_PROBE_JS, urls), PROBE_TIMEOUT)
    except (PlaywrightError, TimeoutError) as error:
        evidence.error = f"could not probe the policy addresses: {one_line(error, limit=200, timeout=PROBE_TIMEOUT)}"
        return {}
    return {result["url"]: result for result in results}


async def _rendered_later(visit: Visit, page: Page, page_capture: PageCapture) -> bool:
    """Whether the page reads like a policy once its scripts are done (content rendered after load: a single-page
    app fetching its text); the capture's text is updated to what the page shows then."""
    await wait_quiet(page, visit.limits.late_cmp_wait)
    try:
        text = await asyncio.wait_for(page.evaluate(_TEXT_JS), visit.limits.step_timeout)
    except (PlaywrightError, TimeoutError):
        return False
    page_capture.visible_text, _ = cap_text(text or "", visit.limits.max_body_bytes)
    return looks_like_policy(page_capture)


async def _try(visit: Visit, evidence: PolicyEvidence, url: str, how: FoundBy, link_text: str) -> bool:
    """Load one candidate; keep it (page, text, header) and return True when it reads like a policy."""
    headers: dict[str, str] = {}

    def on_response(response: Response) -> None:
        if response.request.resource_type == "document" and response.frame.parent_frame is None:
            headers.update({k.lower(): v for k, v in response.headers.items()})

    visit.context.on("response", on_response)
    try:
        page_capture, page = await capture_page(
            visit.context,
            url,
            site_dir=visit.site_dir,
            artifact_prefix=f"{visit.artifact_prefix}/{PAGE_KEY}",
            limits=visit.limits,
        )
    finally:
        visit.context.remove_listener("response", on_response)
    good = looks_like_policy(page_capture)
    evidence.candidates.append(
        PolicyCandidate(
            url=url,
            found_by=how,
            link_text=link_text,
            status=page_capture.status,
            error=page_capture.error or page_capture.bot_wall,
            looks_like_policy=good,
            off_site=is_third_party(page_capture.final_url or url, visit.capture.homepage.final_url or visit.url),
        )
    )
    # The last page tried stays in the evidence even when it is not the policy: it shows what was there.
    visit.capture.pages[PAGE_KEY] = page_capture
    if page is None:
        return False
    try:
        if not good and not (page_capture.status is not None and page_capture.status >= 400):
            good = await _rendered_later(visit, page, page_capture)
            evidence.candidates[-1].looks_like_policy = good
        if good:
            # The HTML is cut in the page at --max-body-bytes: a huge policy page never crosses the wire whole.
            limits = visit.limits
            html, length = await asyncio.wait_for(read_dom(page, limits.max_body_bytes), limits.step_timeout)
            full_text, headings = extract_text_from_html(html)
            text, cut = cap_text(full_text[:MAX_TEXT_CHARS], limits.max_body_bytes)
            evidence.found = True
            evidence.url = page_capture.final_url or url
            evidence.found_by = how
            evidence.link_text = link_text
            evidence.text = text
            evidence.text_truncated = cut or len(html) < length or len(full_text) > MAX_TEXT_CHARS
            evidence.headings = headings[:500]
            evidence.last_modified = headers.get("last-modified")
    except (PlaywrightError, TimeoutError) as error:
        why = one_line(error, limit=200, timeout=visit.limits.step_timeout)
        evidence.error = f"could not read the policy page's HTML: {why}"
        good = False
    finally:
        if good:  # left open for a later gatherer (accessibility), which closes it: no second load
            keep_page(visit, PAGE_KEY, page)
        else:
            with contextlib.suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(page.close(run_before_unload=False), visit.limits.step_timeout)
    return good
