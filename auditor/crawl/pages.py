"""Which pages a site's audit loads besides the homepage, within the page budget.

Always (when the homepage links to them): the privacy policy and the "Do Not Sell or Share" link's
destination — the audit needs them, so robots.txt never stops them. Then up to ``--pages N`` more pages of
the same site, from its sitemap first and then its homepage links, each allowed by robots.txt under
``--robots obey``. Pure functions, except :func:`fetch_site_files`, which reads robots.txt and the sitemap
through the open homepage (the browser's own network stack, so ``--map-host`` and ``--proxy`` apply;
Scrapy's RobotsTxtMiddleware would fetch them with Scrapy's HTTP client, which bypasses both).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from protego import Protego
from scrapy.utils.sitemap import Sitemap

from auditor.domains import is_third_party
from auditor.evidence import PageCapture
from auditor.textmatch import LinkVocabulary

_NOT_PAGES = (".pdf", ".zip", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".mp4", ".mp3", ".xml", ".json")
MAX_SITEMAP_CHARS = 2_000_000  # of robots.txt or a sitemap read by the page script

# Same-origin fetch from the open page; bounded so a slow sitemap cannot stall the site.
_FETCH_TEXT_JS = """
async ([path, ms, maxChars]) => {
  const ctl = new AbortController(); const t = setTimeout(() => ctl.abort(), ms);
  try { const r = await fetch(path, {signal: ctl.signal, credentials: 'omit', redirect: 'follow'});
        const text = r.ok ? (await r.text()).slice(0, maxChars) : '';
        return {status: r.status, text}; }
  catch (e) { return {status: 0, text: ''}; } finally { clearTimeout(t); }
}
"""


@dataclass
class PagePlan:
    """A page to load: its key in ``ProfileCapture.pages``, its URL, and whether robots.txt may veto it."""

    key: str
    url: str
    needed: bool


@dataclass
class SiteFiles:
    robots_txt: str | None = None
    sitemap_urls: list[str] | None = None


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _same_site_page(url: str, site_url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    if parts.path.lower().endswith(_NOT_PAGES):
        return False
    return not is_third_party(url, site_url)


def _first_link(homepage: PageCapture, vocabulary: LinkVocabulary) -> str | None:
    base = homepage.final_url or homepage.requested_url
    matches = sorted(
        vocabulary.match(homepage.links),
        key=lambda m: (not m.link.visible, not m.link.in_footer, vocabulary.phrases.index(m.phrase)),
    )
    for match in matches:
        href = match.link.href
        if href and not href.startswith(("javascript:", "#", "mailto:")):
            url = _clean(urljoin(base, href))
            if _same_site_page(url, base) and url != _clean(base):
                return url
    return None


def plan_pages(
    homepage: PageCapture,
    already: set[str],
    files: SiteFiles,
    extra_pages: int,
    obey_robots: bool,
    *,
    dns_link: LinkVocabulary,
    policy_link: LinkVocabulary,
    user_agent: str = "*",
) -> list[PagePlan]:
    """The pages to load after the homepage, in order, skipping keys a gatherer already captured.

    ``dns_link`` is the vocabulary of the "Do Not Sell or Share" link (the rule pack's): its destination is
    loaded as ``dns_target`` when the opt-out flow does not follow the link itself. ``policy_link`` is the
    privacy-policy link's (the rule pack's): its destination is loaded as ``privacy_policy`` when the policy search
    kept no page.
    """
    base = homepage.final_url or homepage.requested_url
    plans: list[PagePlan] = []
    seen = {_clean(base)}
    for key, url in (
        ("privacy_policy", _first_link(homepage, policy_link)),
        ("dns_target", _first_link(homepage, dns_link)),
    ):
        if url and key not in already and url not in seen:
            plans.append(PagePlan(key, url, needed=True))
            seen.add(url)
    if extra_pages <= 0:
        return plans
    robots = Protego.parse(files.robots_txt) if obey_robots and files.robots_txt else None
    candidates = list(files.sitemap_urls or [])
    candidates += [urljoin(base, link.href) for link in homepage.links if link.href and link.in_main_frame]
    count = 0
    for raw in candidates:
        url = _clean(raw)
        if url in seen or not _same_site_page(url, base):
            continue
        seen.add(url)
        if robots is not None and not robots.can_fetch(url, user_agent):
            continue
        count += 1
        plans.append(PagePlan(f"page_{count:02d}", url, needed=False))
        if count >= extra_pages:
            break
    return plans


def parse_sitemap(body: str, site_url: str, limit: int = 500) -> tuple[list[str], list[str]]:
    """(page URLs, child sitemap URLs) of a sitemap or sitemap index; malformed XML gives nothing."""
    try:
        sitemap = Sitemap(body.encode("utf-8"))
    except Exception:  # lxml raises several types for broken XML; a broken sitemap only means no extra pages
        return [], []
    pages: list[str] = []
    children: list[str] = []
    for entry in sitemap:
        loc = entry.get("loc")
        if not loc:
            continue
        (children if sitemap.type == "sitemapindex" else pages).append(urljoin(site_url, loc))
        if len(pages) + len(children) >= limit:
            break
    return pages, children


async def fetch_site_files(page: Page, want_robots: bool, want_sitemap: bool, timeout_ms: float = 5000) -> SiteFiles:
    """robots.txt and the sitemap's page URLs, fetched from the open homepage (same origin)."""
    files = SiteFiles()
    sitemaps = ["/sitemap.xml"]
    if want_robots or want_sitemap:
        robots = await _fetch_text(page, "/robots.txt", timeout_ms)
        files.robots_txt = robots if want_robots else None
        if robots:
            lines = robots.splitlines()
            declared = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:")]
            sitemaps = declared[:3] or sitemaps
    if want_sitemap:
        urls: list[str] = []
        for location in sitemaps:
            pages, children = parse_sitemap(await _fetch_text(page, location, timeout_ms) or "", page.url)
            urls += pages
            for child in children[:2]:
                urls += parse_sitemap(await _fetch_text(page, child, timeout_ms) or "", page.url)[0]
            if urls:
                break
        files.sitemap_urls = urls
    return files


async def _fetch_text(page: Page, location: str, timeout_ms: float) -> str | None:
    if is_third_party(urljoin(page.url, location), page.url):
        return None  # cross-site sitemaps are not fetched: the audit stays on the site
    with contextlib.suppress(PlaywrightError):
        result = await page.evaluate(_FETCH_TEXT_JS, [location, timeout_ms, MAX_SITEMAP_CHARS])
        if result and result.get("status") == 200:
            return result.get("text") or ""
    return None
