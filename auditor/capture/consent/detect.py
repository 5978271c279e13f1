"""Which consent manager a page runs: JS globals, cookies, local storage, containers and the IAB APIs.

Adds to autoconsent what it lacks (cmps.md trap 8; section 3): vendors' globals and cookies, and the
IAB ``__tcfapi`` / ``__gpp`` / ``__uspapi`` functions. Every sign is kept; :func:`choose` picks the most
likely CMP for the report.
"""

from __future__ import annotations

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.capture.consent.autoconsent import AutoconsentDriver, friendly_cmp_name
from auditor.evidence.consent import CmpDetection

# (CMP, JS expression that is truthy when its SDK is loaded, what the report says was seen)
_GLOBALS_JS = """
() => {
  const probes = [
    ['OneTrust', () => !!(window.OneTrust || window.Optanon), 'window.OneTrust'],
    ['OneTrust', () => typeof window.OnetrustActiveGroups === 'string', 'window.OnetrustActiveGroups'],
    ['Cookiebot', () => !!window.Cookiebot, 'window.Cookiebot'],
    ['TrustArc', () => !!(window.truste || window.PrivacyManagerAPI), 'window.truste'],
    ['Didomi', () => !!window.Didomi, 'window.Didomi'],
    ['Usercentrics', () => !!(window.UC_UI || window.usercentrics), 'window.UC_UI'],
    ['Quantcast Choice', () => !!document.querySelector('#qc-cmp2-container'), '#qc-cmp2-container'],
    ['Sourcepoint', () => !!(window._sp_ || window._sp_queue), 'window._sp_'],
    ['Osano', () => !!window.Osano, 'window.Osano'],
    ['Ketch', () => typeof window.ketch === 'function' || !!document.querySelector('#lanyard_root'), 'window.ketch'],
    ['Termly', () => !!(window.Termly || document.querySelector('#termly-code-snippet-support')), 'window.Termly'],
    ['CookieYes', () => typeof window.getCkyConsent === 'function', 'window.getCkyConsent'],
    ['Complianz', () => !!(window.complianz || window.cmplz_set_cookie), 'window.complianz'],
    ['vanilla-cookieconsent',
     () => !!(window.CookieConsent && typeof window.CookieConsent.acceptedCategory === 'function'),
     'window.CookieConsent.acceptedCategory'],
    ['vanilla-cookieconsent', () => typeof window.initCookieConsent === 'function', 'window.initCookieConsent'],
    ['Usercentrics', () => !!document.querySelector('#usercentrics-root'), '#usercentrics-root'],
    ['OneTrust', () => !!document.querySelector('#onetrust-consent-sdk'), '#onetrust-consent-sdk'],
    ['vanilla-cookieconsent', () => !!document.querySelector('#cc-main'), '#cc-main'],
  ];
  const found = [];
  for (const [name, test, label] of probes) { try { if (test()) found.push([name, label]); } catch (e) {} }
  const apis = ['__tcfapi', '__gpp', '__uspapi'].filter((n) => typeof window[n] === 'function');
  let storage = [];
  try { for (let i = 0; i < localStorage.length; i += 1) storage.push(localStorage.key(i)); } catch (e) {}
  return {found, apis, storage};
}
"""
# Cookie name (prefix) -> CMP (cmps.md section 3).
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
    ("consentUUID", "Sourcepoint"),
    ("_sp_v1_", "Sourcepoint"),
)
_STORAGE = (
    ("uc_settings", "Usercentrics"),
    ("usercentrics", "Usercentrics"),
    ("ucData", "Usercentrics"),
    ("didomi_token", "Didomi"),
)
_RANK = {"high": 3, "medium": 2, "low": 1}
# The name of a consent banner found by the heuristic that no CMP rule, global or cookie identifies.
UNRECOGNISED = "unrecognised consent banner"


async def detect_signs(
    page: Page, context: BrowserContext, driver: AutoconsentDriver | None
) -> tuple[list[CmpDetection], list[str]]:
    """Every sign of a CMP on the open page (all frames), and the IAB APIs the main frame exposes."""
    signs: list[CmpDetection] = []
    if driver is not None:
        for event in driver.detected_cmps():
            site_rule = event.cmp.startswith("auto_")
            signs.append(
                CmpDetection(
                    name=friendly_cmp_name(event.cmp),
                    detected_by=f"autoconsent {'generated site ' if site_rule else ''}rule {event.cmp}",
                    method="autoconsent",
                    confidence="medium" if site_rule else "high",
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
        for name, label in result["found"]:
            method = "dom" if label.startswith("#") else "global"
            signs.append(
                CmpDetection(
                    name=name,
                    detected_by=label,
                    method=method,
                    confidence="high" if method == "global" else "medium",
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
            if cookie["name"].startswith(prefix):
                signs.append(
                    CmpDetection(
                        name=name, detected_by=f"cookie {cookie['name']}", method="cookie", confidence="medium"
                    )
                )
    return _dedupe(signs), apis


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
    """The most likely CMP: the name with the strongest and most numerous signs, vendor names before unrecognised.

    The returned detection names every sign of that CMP in ``detected_by``; its confidence is high when
    two independent methods agree or one high-confidence sign exists.
    """
    if not signs:
        return None
    by_name: dict[str, list[CmpDetection]] = {}
    for sign in signs:
        by_name.setdefault(sign.name, []).append(sign)

    def strength(name: str) -> tuple[int, int, int]:
        group = by_name[name]
        return (name != UNRECOGNISED, max(_RANK[s.confidence] for s in group), len({s.method for s in group}))

    name = max(by_name, key=strength)
    group = sorted(by_name[name], key=lambda s: -_RANK[s.confidence])
    methods = {s.method for s in group}
    best = _RANK[group[0].confidence]
    confidence = "high" if best == 3 or len(methods) >= 2 else ("medium" if best == 2 else "low")
    return CmpDetection(
        name=name,
        detected_by="; ".join(s.detected_by for s in group[:6]),
        method=group[0].method,
        confidence=confidence,
        frame_url=group[0].frame_url,
    )
