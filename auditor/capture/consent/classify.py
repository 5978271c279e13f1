"""Read consent UI the way a visitor does: by visible text and role, never by element ids (ids lie).

Pure functions over text, shared by the banner reader, the preference-center reader and the opt-out flow.
Order matters: "Accept only necessary" and "Continue without accepting" are refusals, "Do Not Sell" is
an opt-out, and a close icon is not a refusal.
"""

from __future__ import annotations

import re

from auditor.evidence.consent import FormField
from auditor.textmatch import LinkVocabulary, asks_for_identity, normalize

# The "Do Not Sell or Share" link (and the alternative link) the opt-out flow follows. The run hands capture the
# vocabulary of the rule that counts the link (``ccpa.dns-link`` in rules/ccpa.yaml), so the flow follows exactly
# the links the rule counts; this copy of the built-in pack's is used only when no loaded pack has that rule (a
# test keeps the two equal).
DEFAULT_DNS_LINK_VOCABULARY = LinkVocabulary(
    phrases=(
        "do not sell or share my personal information",
        "do not sell or share my information",
        "do not sell or share my personal info",
        "do not sell or share my info",
        "do not sell my personal information",
        "do not sell my information",
        "do not sell my personal info",
        "do not sell my info",
        "your privacy choices",
        "your california privacy choices",
    ),
    exclusions=(
        "terms",
        "privacy policy",
        "archive",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    max_length=150,
)

_REJECT = re.compile(
    r"\b(reject|decline|deny|refuse|disagree|disallow|no,? thanks|opt[- ]?out of all|object to all|"
    r"necessary (cookies )?only|only (strictly )?(necessary|essential|required)|essential (cookies )?only|"
    r"required only|(accept|allow|use) (only )?(strictly )?(necessary|essential|required)( cookies)? only|"
    r"(accept|allow|use) only (strictly )?(necessary|essential|required)|continue without|"
    r"without (accepting|agreeing)|do not (accept|agree|consent))\b"
)
_DO_NOT_SELL = re.compile(r"\b(do not|don't|dont) (sell|share)|\bopt[- ]?out\b|\blimit the use\b|\bprivacy choices\b")
_ACCEPT = re.compile(
    r"^(i )?(accept|agree|allow|consent|got it|ok|okay|yes|understood|continue|sounds good|i understand)\b|"
    r"^(that'?s|that is|i'?m) (ok|okay|fine|alright)\b|^(fine|sure)\b|"
    r"\b(accept|allow|agree to)( all| every)?( cookies)?\b|\ballow all\b|\bi agree\b|\bagree and (close|continue)\b"
)
_SETTINGS = re.compile(
    r"\b(settings|preferences|preference center|customi[sz]e|manage|options|personali[sz]e|configure|"
    r"choices|more info(rmation)?|let me choose|cookie details|show purposes|adjust)\b"
)
_SAVE = re.compile(r"\b(save|confirm|submit|apply|update|done|send|finish|selection|selected|my choices)\b")
_CLOSE = re.compile(r"^(x|×|✕|✖|close|dismiss|close banner|close dialog|close this (banner|notice|dialog))$")
_INFO = re.compile(
    r"\b(privacy policy|privacy notice|cookie policy|learn more|read more|more about|notice at collection)\b"
)

_SALE = re.compile(r"\b(sale|sell|selling|sold)\b")
_SHARING = re.compile(r"\b(share|sharing)\b.{0,40}\b(personal|data|information|info)\b|\bcross[- ]context\b")
_TARGETING = re.compile(
    r"\b(targeting|targeted|advertis\w*|ads?|marketing|personali[sz]ed (ads|advertising)|behaviou?ral|"
    r"retargeting|cross[- ]context)\b"
)
_NEGATIVE_LABEL = re.compile(
    r"\b(do not|don't|dont) (sell|share)\b|\bopt(ing)?[- ]?(me |myself )?out\b|\blimit (the )?use\b|\bobject to\b"
)
# Advertising services a visitor recognises by name, in preference centers that list services, not purposes.
_AD_SERVICES = re.compile(
    r"\b(google (ads|ad manager|adsense|adwords|publisher tag)|doubleclick|adsense|(meta|facebook) (pixel|ads)|"
    r"criteo|tiktok (pixel|ads)|bing ads|microsoft advertising|linkedin insight|(twitter|x) pixel|pinterest tag|"
    r"snap pixel|reddit pixel|taboola|outbrain|amazon (ads|advertising)|the trade desk|adroll|xandr|appnexus|"
    r"pubmatic|rubicon project|magnite|index exchange|openx|teads|quantcast)\b"
)
_PLAIN_OPTIONS = {"yes", "no", "on", "off", "true", "false", "enabled", "disabled"}
_ON_WORDS = re.compile(
    r"^(on|yes|allow|allowed|permitted|accept|accepted|opt[- ]?in|opted[- ]?in|enabled?|active|agree|consent)\b"
)
_OFF_WORDS = re.compile(
    r"^(off|no|deny|denied|reject|rejected|decline|opt[- ]?out|opted[- ]?out|disabled?|inactive|do not|don't|object|"
    r"not (allowed|permitted|enabled|active)|disallow(ed)?|block(ed)?)\b"
)
_ALWAYS_ACTIVE = re.compile(r"\b(always active|always on|required|strictly necessary \(always)\b")

_SOFT_404 = re.compile(
    r"\b(page not found|404|not found|(could not|couldn't|can't|cannot) (be )?(find|found|locate)|"
    r"(doesn't|does not|no longer) exist|no longer available|nothing (was )?found|page (you|you're) looking for|"
    r"page you requested)\b"
)
_LOGIN_TEXT = re.compile(
    r"\b(sign in|log in|login) (to|before) (continue|proceed|access|submit|manage|make)|"
    r"\bplease (sign|log) in\b|\byou must (be )?(signed|logged) in\b|\bcreate an account to\b"
)
_VERIFY_TEXT = re.compile(
    r"\b(verify|verifying|confirm|prove) (your |the requester'?s? )?identity\b|"
    r"\bidentity (must|will|needs to) be verified\b|"
    r"\bproof of (identity|residency)\b|\bgovernment[- ]issued (photo )?(id|identification)\b|"
    r"\b(upload|provide|attach|submit) (a copy of )?(your |a )?"
    r"(photo id|driver'?s licen[cs]e|passport|id card|identification)\b"
)
_NOT_NEEDED = re.compile(r"\b(no need to|not need to|don'?t need to|do not need to|without (having to )?|never)\W*$")
_LOGIN_URL = re.compile(r"/(login|log-in|signin|sign-in|sign_in|account/login|auth/login|sso)\b", re.IGNORECASE)


def classify_button(text: str, aria_label: str = "", role: str = "", href: str = "") -> str:
    """The kind of a banner or preference-center control: accept, reject, settings, do_not_sell, save,
    close, info or other. Reads the visible text first, then the aria-label; ``href`` and ``role`` only
    separate a link to another page (info) from a button."""
    for source in (text, aria_label):
        words = normalize(source)
        if not words:
            continue
        kind = _kind_of(words)
        if kind == "other" and href and role in ("", "link") and _INFO.search(words):
            return "info"
        if kind != "other":
            return kind
    return "other"


def _kind_of(words: str) -> str:
    if _CLOSE.match(words):
        return "close"
    if _REJECT.search(words):
        return "reject"
    if _DO_NOT_SELL.search(words):
        return "do_not_sell"
    if _ACCEPT.search(words) and not re.search(r"\b(selected|selection|my choices)\b", words):
        return "accept"
    if _SAVE.search(words):
        return "save"
    if _SETTINGS.search(words):
        return "settings"
    if _INFO.search(words):
        return "info"
    return "other"


def governs(label: str) -> list[str]:
    """What a control's label says it covers: sale, sharing and/or targeting (advertising, marketing)."""
    words = normalize(label)
    found = []
    if _SALE.search(words):
        found.append("sale")
    if _SHARING.search(words):
        found.append("sharing")
    if _TARGETING.search(words) or _AD_SERVICES.search(words):
        found.append("targeting")
    return found


def optout_state(label: str, options: list[str] | None = None) -> str:
    """The state of a control that means "opted out": "on" for a label such as "Do Not Sell My Info".

    A radio group, button pair or select whose options say what they do ("Accept" / "Decline", "Allow" / "Do not
    sell") is opted out at its "off" option, whatever its label says ("Advertising opt-out" names the purpose);
    plain Yes / No options follow the label ("Opt me out of sale: Yes").
    """
    if options and not all(normalize(o) in _PLAIN_OPTIONS for o in options):
        return "off"
    return "on" if _NEGATIVE_LABEL.search(normalize(label)) else "off"


def option_state(option_text: str) -> str:
    """The state a button-pair or radio option stands for: "on" (Allow, Yes), "off" (No, Opt out) or "unknown"."""
    words = normalize(option_text)
    if _OFF_WORDS.match(words) or _DO_NOT_SELL.search(words):
        return "off"
    if _ON_WORDS.match(words):
        return "on"
    return "unknown"


def says_always_active(text: str) -> bool:
    """True when the text marks a category as always active (a control a visitor cannot switch)."""
    return bool(_ALWAYS_ACTIVE.search(normalize(text)))


def soft_404_phrase(title: str, text: str) -> str | None:
    """The not-found wording of a page that answered 200, or None. Reads the title and the first lines."""
    for source in (title, text[:600]):
        match = _SOFT_404.search(normalize(source))
        if match:
            return match.group(0)
    return None


def login_wall_reason(url: str, text: str, password_fields: int) -> str | None:
    """Why a page looks like it requires signing in, or None."""
    if password_fields:
        return f"the page asks for a password ({password_fields} password field{'s' if password_fields > 1 else ''})"
    match = _LOGIN_URL.search(url or "")
    if match:
        return f"the page address looks like a sign-in page ({match.group(0)})"
    match = _LOGIN_TEXT.search(normalize(text[:3000]))
    if match:
        return f'the page says "{match.group(0)}"'
    return None


def verification_demand(text: str, fields: list[FormField]) -> str | None:
    """Why the opt-out destination demands that the visitor verify their identity, or None.

    A form field for identity documents or data is a demand; so is wording such as "identity must be verified"
    when the page's form requires fields ("you do not need to verify your identity" is not).
    """
    identity = [f.label or f.name or f.type for f in fields if asks_for_identity(f.label, f.name, f.type)]
    if identity:
        return "the form asks for " + ", ".join(identity[:4])
    words = normalize(text[:6000])
    for match in _VERIFY_TEXT.finditer(words):
        if _NOT_NEEDED.search(words[max(0, match.start() - 40) : match.start()]):
            continue
        if any(f.required for f in fields):
            return f'the page says "{match.group(0)}" and its form requires personal information'
    return None


CONSENT_WORDS = re.compile(
    r"\b(cookies?|consent|privacy|personal (data|information)|tracking|track|advertis\w*|partners|"
    r"sell|sale|share)\b"
)


def has_consent_wording(text: str) -> bool:
    """True when text reads like a consent or privacy notice (the generic banner heuristic's text test)."""
    return bool(CONSENT_WORDS.search(normalize(text)))
