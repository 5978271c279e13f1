"""Which consent manager a page runs: every sign of one, and a name only where the signs agree.

Signs come from independent places (cmps.md section 3): autoconsent's rules, the vendor's JavaScript API (a global),
its containers in the DOM, its cookies and local storage, and the script or frame it was loaded from. Markup is
shared and copied (Complianz and others reuse the open-source cookieconsent's ``cc-window``), rules match more than
they were written for, so one sign alone never names a CMP: :func:`choose` names one only when two independent
methods agree, and says how sure it is. A wrong name is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.capture.consent.autoconsent import AutoconsentDriver, friendly_cmp_name
from auditor.evidence import RequestRecord
from auditor.evidence.consent import CmpDetection

# (CMP, JS test that is truthy when its API is loaded, what the report says was seen). Names as the vendor writes them.
_GLOBALS_JS = """
() => {
  const probes = [
    ['OneTrust', () => !!(window.OneTrust || window.Optanon), 'window.OneTrust'],
    ['OneTrust', () => typeof window.OnetrustActiveGroups === 'string', 'window.OnetrustActiveGroups'],
    ['Cookiebot', () => !!window.Cookiebot, 'window.Cookiebot'],
    ['TrustArc', () => !!(window.truste || window.PrivacyManagerAPI), 'window.truste'],
    ['Didomi', () => !!window.Didomi, 'window.Didomi'],
    ['Usercentrics', () => !!(window.UC_UI || window.usercentrics), 'window.UC_UI'],
    ['Sourcepoint', () => !!(window._sp_ || window._sp_queue), 'window._sp_'],
    ['Osano', () => !!(window.Osano && window.Osano.cm), 'window.Osano.cm'],
    ['Ketch', () => typeof window.ketch === 'function', 'window.ketch'],
    ['Termly', () => !!window.Termly, 'window.Termly'],
    ['CookieYes', () => typeof window.getCkyConsent === 'function', 'window.getCkyConsent'],
    ['Complianz', () => !!(window.complianz || window.cmplz_set_cookie), 'window.complianz'],
    ['vanilla-cookieconsent',
     () => !!(window.CookieConsent && typeof window.CookieConsent.acceptedCategory === 'function'),
     'window.CookieConsent.acceptedCategory'],
    ['vanilla-cookieconsent', () => typeof window.initCookieConsent === 'function', 'window.initCookieConsent'],
    ['cookieconsent', () => !!(window.cookieconsent && typeof window.cookieconsent.initialise === 'function'),
     'window.cookieconsent.initialise'],
    ['Klaro', () => !!(window.klaro && typeof window.klaro.getManager === 'function'), 'window.klaro.getManager'],
    ['Orejime', () => !!(window.orejime || typeof window.loadOrejime === 'function'), 'window.orejime'],
    ['tarteaucitron', () => !!(window.tarteaucitron && window.tarteaucitron.userInterface), 'window.tarteaucitron'],
    ['Silktide', () => !!window.silktideCookieBannerManager, 'window.silktideCookieBannerManager'],
    ['c15t', () => !!(window.c15t || window.c15tStore), 'window.c15t'],
  ];
  const containers = [
    ['OneTrust', '#onetrust-consent-sdk'], ['Cookiebot', '#CybotCookiebotDialog'], ['TrustArc', '#teconsent'],
    ['TrustArc', '#truste-consent-track'], ['TrustArc', '.truste_popframe'], ['Didomi', '#didomi-host'],
    ['Usercentrics', '#usercentrics-root'], ['Usercentrics', '#usercentrics-cmp-ui'],
    ['Quantcast Choice', '#qc-cmp2-container'], ['Sourcepoint', 'div[id^="sp_message_container_"]'],
    ['Osano', '.osano-cm-window'], ['Ketch', '#lanyard_root'], ['Termly', '#termly-code-snippet-support'],
    ['CookieYes', '.cky-consent-container'], ['Complianz', '#cmplz-cookiebanner-container'],
    ['vanilla-cookieconsent', '#cc-main'], ['vanilla-cookieconsent', '#cc--main'], ['cookieconsent', '.cc-window'],
    ['Klaro', '.klaro'], ['Orejime', '.orejime-Root'], ['Orejime', '#orejime'],
    ['tarteaucitron', '#tarteaucitronRoot'], ['Silktide', '#silktide-wrapper'],
    ['Silktide', '#silktide-consent-manager-css'], ['c15t', '[class*="c15t-ui-"]'],
  ];
  const found = [];
  for (const [name, test, label] of probes) { try { if (test()) found.push([name, label, 'global']); } catch (e) {} }
  for (const [name, selector] of containers) {
    try { if (document.querySelector(selector)) found.push([name, selector, 'dom']); } catch (e) {}
  }
  const apis = ['__tcfapi', '__gpp', '__uspapi'].filter((n) => typeof window[n] === 'function');
  let storage = [];
  try { for (let i = 0; i < localStorage.length; i += 1) storage.push(localStorage.key(i)); } catch (e) {}
  return {found, apis, storage};
}
"""
# Cookie name (or prefix ending in "_") -> CMP (cmps.md section 3).
_COOKIES = (
    ("OptanonConsent", "OneTrust"),
    ("OptanonAlertBoxClosed", "OneTrust"),
    ("OTGPPConsent", "OneTrust"),
    ("CookieConsent", "Cookiebot"),
    ("notice_preferences", "TrustArc"),
    ("notice_gdpr_prefs", "TrustArc"),
    ("cmapi_cookie_privacy", "TrustArc"),
    ("didomi_token", "Didomi"),
    ("cookieyes-consent", "CookieYes"),
    ("cmplz_", "Complianz"),
    ("_ketch_consent_v1_", "Ketch"),
    ("osano_consentmanager", "Osano"),
    ("cc_cookie", "vanilla-cookieconsent"),
    ("cookieconsent_status", "cookieconsent"),
    ("consentUUID", "Sourcepoint"),
    ("_sp_v1_", "Sourcepoint"),
    ("klaro", "Klaro"),
    ("orejime", "Orejime"),
    ("tarteaucitron", "tarteaucitron"),
    ("silktideCookieChoice_", "Silktide"),
    ("c15t", "c15t"),
)
_STORAGE = (
    ("uc_settings", "Usercentrics"),
    ("usercentrics", "Usercentrics"),
    ("ucData", "Usercentrics"),
    ("didomi_token", "Didomi"),
    ("c15t", "c15t"),
    ("privacy-consent-storage", "c15t"),
)
# Where a CMP's own script or frame is served from: (CMP, host suffix or path pattern).
_SOURCES = (
    ("OneTrust", re.compile(r"(^|\.)cookielaw\.org$|(^|\.)onetrust\.com$"), None),
    ("OneTrust", None, re.compile(r"/otSDKStub\.js|/otBannerSdk\.js", re.IGNORECASE)),
    ("Cookiebot", re.compile(r"(^|\.)cookiebot\.com$"), None),
    ("TrustArc", re.compile(r"(^|\.)trustarc\.com$|(^|\.)truste\.com$"), None),
    ("Didomi", re.compile(r"(^|\.)privacy-center\.org$"), None),
    ("Usercentrics", re.compile(r"(^|\.)usercentrics\.eu$"), None),
    ("Sourcepoint", re.compile(r"(^|\.)privacy-mgmt\.com$|(^|\.)sp-prod\.net$"), None),
    ("Osano", re.compile(r"^cmp\.osano\.com$"), None),
    ("Ketch", re.compile(r"(^|\.)ketchcdn\.com$"), None),
    ("Termly", re.compile(r"(^|\.)termly\.io$"), None),
    ("CookieYes", re.compile(r"(^|\.)cdn-cookieyes\.com$"), None),
    ("Klaro", None, re.compile(r"/klaro(@[\w.]+)?/|/klaro(\.min)?\.js", re.IGNORECASE)),
    ("Orejime", None, re.compile(r"/orejime[@/-]", re.IGNORECASE)),
    ("tarteaucitron", None, re.compile(r"/tarteaucitron(js)?[@/.]", re.IGNORECASE)),
    ("vanilla-cookieconsent", None, re.compile(r"/vanilla-cookieconsent@|/orestbida/cookieconsent", re.IGNORECASE)),
    ("cookieconsent", None, re.compile(r"/npm/cookieconsent@|/cookieconsent2/|/cookieconsent@3", re.IGNORECASE)),
    ("Silktide", None, re.compile(r"silktide-consent-manager", re.IGNORECASE)),
    ("c15t", None, re.compile(r"/c15t@|/@c15t/", re.IGNORECASE)),
)
_RANK = {"high": 3, "medium": 2, "low": 1}
# The banner heuristic's name for a consent banner nothing identifies: a sign, never a name in the report.
UNRECOGNISED = "unrecognised consent banner"


async def detect_signs(
    page: Page, context: BrowserContext, driver: AutoconsentDriver | None, requests: Sequence[RequestRecord] = ()
) -> tuple[list[CmpDetection], list[str]]:
    """Every sign of a CMP on the open page (all frames, its requests), and the IAB APIs the main frame exposes."""
    signs: list[CmpDetection] = []
    if driver is not None:
        for event in driver.detected_cmps():
            site_rule = event.cmp.startswith("auto_")
            signs.append(
                CmpDetection(
                    name=friendly_cmp_name(event.cmp),
                    detected_by=f"autoconsent {'generated site ' if site_rule else ''}rule {event.cmp}",
                    method="autoconsent",
                    confidence="low" if site_rule else "medium",
                    frame_url="" if event.main_frame else event.url,
                )
            )
    apis: list[str] = []
    for frame in page.frames:
        try:
            result = await frame.evaluate(_GLOBALS_JS)
        except PlaywrightError:
            continue
        main = frame.parent_frame is None
        for name, label, method in result["found"]:
            signs.append(
                CmpDetection(
                    name=name,
                    detected_by=label if method == "global" else f"element {label}",
                    method=method,
                    confidence="medium",
                    frame_url="" if main else frame.url[:2000],
                )
            )
        if main:
            apis = result["apis"]
            for key in result["storage"]:
                for prefix, name in _STORAGE:
                    if key.startswith(prefix):
                        signs.append(
                            CmpDetection(
                                name=name, detected_by=f"local storage {key}", method="storage", confidence="medium"
                            )
                        )
    try:
        cookies = await context.cookies()
    except PlaywrightError:
        cookies = []
    for cookie in cookies:
        for prefix, name in _COOKIES:
            if cookie["name"] == prefix or (prefix.endswith("_") and cookie["name"].startswith(prefix)):
                signs.append(
                    CmpDetection(
                        name=name, detected_by=f"cookie {cookie['name']}", method="cookie", confidence="medium"
                    )
                )
    signs += source_signs(requests)
    return _dedupe(signs), apis


def source_signs(requests: Sequence[RequestRecord]) -> list[CmpDetection]:
    """Signs from where scripts and frames were loaded: a CMP's own host, or its package's path on a CDN."""
    signs = []
    for request in requests:
        if request.resource_type not in ("script", "document", "stylesheet"):
            continue
        path = request.url.split("?")[0]
        for name, host, path_pattern in _SOURCES:
            if (host is not None and host.search(request.host)) or (
                path_pattern is not None and path_pattern.search(path)
            ):
                signs.append(
                    CmpDetection(
                        name=name,
                        detected_by=f"{request.resource_type} {path[:200]}",
                        method="source",
                        confidence="medium",
                    )
                )
    return signs


def _dedupe(signs: list[CmpDetection]) -> list[CmpDetection]:
    seen: set[tuple[str, str]] = set()
    out = []
    for sign in signs:
        key = (sign.name, sign.detected_by)
        if key not in seen:
            seen.add(key)
            out.append(sign)
    return out


def choose(signs: list[CmpDetection]) -> CmpDetection | None:
    """The CMP the signs agree on, or None: a name needs two independent methods (autoconsent, the vendor's API, its
    DOM, its cookies or storage, where its script came from); three or more make it high confidence.

    Among names that qualify, the one with the most methods wins, then the most signs. The returned detection lists
    every sign of that CMP in ``detected_by``.
    """
    by_name: dict[str, list[CmpDetection]] = {}
    for sign in signs:
        if sign.name != UNRECOGNISED and sign.confidence != "low":
            by_name.setdefault(sign.name, []).append(sign)
    qualified = {name: group for name, group in by_name.items() if len({s.method for s in group}) >= 2}
    if not qualified:
        return None

    def strength(name: str) -> tuple[int, int]:
        group = qualified[name]
        return (len({s.method for s in group}), len(group))

    name = max(qualified, key=strength)
    group = sorted(qualified[name], key=lambda s: (-_RANK[s.confidence], s.method))
    methods = {s.method for s in group}
    return CmpDetection(
        name=name,
        detected_by="; ".join(s.detected_by for s in group[:6]),
        method=group[0].method,
        confidence="high" if len(methods) >= 3 else "medium",
        frame_url=group[0].frame_url,
    )
