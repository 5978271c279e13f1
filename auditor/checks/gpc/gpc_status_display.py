"""``gpc_status_display``: with GPC on, the site shows that it processed the signal (11 CCR 7025(c)(6)).

Where a site may show it: on the page (read after the late-CMP wait, open shadow roots and frames included), in its
consent banner, in the consent manager's opt-out-signal notice, inside its preference center, or on the page its
opt-out link leads to (the GPC visit opens those two, :mod:`auditor.capture.consent.status`). A statement counts when
it names the signal ("Global Privacy Control", "opt-out preference signal") and says it was processed ("honored",
"received", "opted you out"), or is one of the rule's phrases; one that reads the same without GPC is a static
statement (review). A sale/sharing control shown opted out in the preference center, and only that, is for a person
to judge (the regulation's example of a toggle).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import Field

from auditor.checks.common import unread_frame
from auditor.checks.gpc.comparison import REQUIRES, Comparison, GpcParams, compare, sale_sharing, untested
from auditor.checks.gpc.tables import steps_table
from auditor.checks.registry import CheckContext, Outcome, check
from auditor.evidence import ProfileCapture, SiteEvidence
from auditor.findings import ImageEvidence, ScreenshotRef, Status, TableEvidence, TextEvidence
from auditor.textmatch import contains_phrase, normalize

DEFAULT_SIGNAL_TERMS = (
    "global privacy control",
    "gpc",
    "opt-out preference signal",
    "opt out preference signal",
    "privacy preference signal",
    "universal opt-out",
    "browser privacy signal",
    "privacy signal",
)
DEFAULT_PROCESSED_TERMS = (
    "honored",
    "honoured",
    "detected",
    "received",
    "recognized",
    "recognised",
    "processed",
    "respected",
    "applied",
    "opted you out",
    "you are opted out",
    "you have been opted out",
    "you've been opted out",
    "is on",
    "is enabled",
    "is active",
)
_NEGATION = re.compile(r"\b(not|no|never|unable|n't|cannot|can't)\b(\W+\w+){0,3}\W*$")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_STATEMENT = 600


class StatusParams(GpcParams):
    phrases: list[str] = Field(min_length=1, description='statements that the signal was processed ("GPC honored")')
    signal_terms: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SIGNAL_TERMS),
        description="words that name the signal; a sentence with one of them and a processed term is a statement",
    )
    processed_terms: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PROCESSED_TERMS),
        description='words that say the signal was processed ("honored", "received", "opted you out")',
    )


@check(
    "gpc_status_display",
    requires=[*REQUIRES, "gpc.homepage.visible_text", "gpc.consent.banner", "baseline.consent.banner"],
    optional=["gpc.consent.status_survey", "optout.consent"],
)
def gpc_status_display(evidence: SiteEvidence, params: StatusParams, context: CheckContext) -> Outcome:
    """With GPC on, the site shows that it processed the signal: on the page, in the banner, in the preference
    center or where the opt-out link leads (a control shown opted out there, alone, is for a person to judge)."""
    comparison = compare(evidence, params, context)
    blocked = untested(comparison)
    if blocked:
        return blocked
    applies = comparison.judged or comparison.ads_with_gpc or comparison.ads_without_gpc
    if not applies and not sale_sharing(comparison, context):
        return Outcome(
            Status.NOT_APPLICABLE,
            "No evidence of sale or sharing, so there is no opt-out preference signal to process or display.",
        )
    found = [(where, text, negative) for where, text, negative in statements(_sources(comparison.gpc), params)]
    without = normalize(" \n ".join(text for _, text in _sources(comparison.base, evidence.profiles.get("optout"))))
    fresh = [(w, t, n) for w, t, n in found if normalize(t) not in without]
    images = _images(comparison)
    if any(not negative for _, _, negative in fresh):
        where, text, _ = next(item for item in fresh if not item[2])
        return Outcome(
            Status.PASS,
            f"With GPC on, the site shows that it processed the signal ({where}): \u201c{_quote(text)}\u201d.",
            [TextEvidence(label=f"Shown with GPC on ({where})", text=text[:1000]), *images],
        )
    if fresh:
        where, text, _ = fresh[0]
        return Outcome(
            Status.REVIEW,
            f"With GPC on, the site shows a statement about the signal ({where}) that says it was not processed: "
            f"\u201c{_quote(text)}\u201d. A person must check what the site displays and whether it is true.",
            [TextEvidence(label=f"Shown with GPC on ({where})", text=text[:1000]), *images],
        )
    toggles = _opted_out_controls(evidence, comparison)
    if toggles:
        return Outcome(
            Status.REVIEW,
            "With GPC on, no statement says the signal was processed, but the preference center shows the "
            "sale/sharing control(s) switched to opted out: "
            + ", ".join(toggles)
            + ". The regulation's examples include such a toggle; a person must judge whether it is displayed to "
            "the consumer as the signal's status.",
            [
                TableEvidence(
                    label="Controls shown opted out with GPC on (and not without)",
                    columns=["control"],
                    rows=[[t] for t in toggles],
                ),
                *images,
            ],
        )
    if found:
        where, text, _ = found[0]
        return Outcome(
            Status.REVIEW,
            f"A GPC statement is shown ({where}), but it reads the same without GPC: \u201c{_quote(text)}\u201d. "
            "A static statement does not show whether this visitor's signal was processed; a person must check.",
            [TextEvidence(label="Shown with and without GPC", text=text[:1000]), *images],
        )
    places = sorted({where.split(" (")[0] for where, _ in _sources(comparison.gpc)})
    unlooked = _not_looked_at(comparison.gpc, evidence.profiles.get("optout"))
    if unlooked:
        steps = _survey_steps(comparison.gpc)
        return Outcome(
            Status.REVIEW,
            "With GPC on, no statement says the signal was processed in what the auditor could read ("
            + "; ".join(places)
            + f"), but {unlooked}: the status may be shown there, so a person must look"
            + (" (steps attached)." if steps else "."),
            [TextEvidence(label="Searched for", text=_searched(params)), *steps, *images],
        )
    return Outcome(
        Status.FAIL,
        "With GPC on, the site does not show whether it processed the signal: no statement naming the signal and "
        "saying it was processed, and no preference-center control read as opted out. Looked in: "
        + "; ".join(places)
        + ". Since 2026-01-01 the business must display whether it processed the opt-out preference signal.",
        [TextEvidence(label="Searched for", text=_searched(params)), *images],
    )


def statements(sources: Iterable[tuple[str, str]], params: StatusParams) -> list[tuple[str, str, bool]]:
    """(where, sentence, negative) of every statement that the signal was (or was not) processed."""
    found: list[tuple[str, str, bool]] = []
    seen: set[tuple[str, str]] = set()
    for where, text in sources:
        for sentence in _SENTENCES.split(text):
            sentence = sentence.strip()
            if not sentence or len(sentence) > MAX_STATEMENT or (where, normalize(sentence)) in seen:
                continue
            verdict = _statement(sentence, params)
            if verdict is not None:
                seen.add((where, normalize(sentence)))
                found.append((where, sentence, verdict))
    return found


def _statement(sentence: str, params: StatusParams) -> bool | None:
    """None when the sentence is no status statement; else whether it says the signal was NOT processed."""
    if any(contains_phrase(sentence, phrase) for phrase in params.phrases):
        return False
    if not any(contains_phrase(sentence, term) for term in params.signal_terms):
        return None
    words = normalize(sentence)
    hits = [m for term in params.processed_terms for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", words)]
    if not hits:
        return None
    return all(_NEGATION.search(words[max(0, hit.start() - 40) : hit.start()]) for hit in hits)


def _sources(profile: ProfileCapture, *more: ProfileCapture | None) -> list[tuple[str, str]]:
    """(where, text) of every place a visit read text that may carry a status statement."""
    sources: list[tuple[str, str]] = []
    for capture in (profile, *more):
        if capture is None:
            continue
        sources += _visit_sources(capture)
    return sources


def _visit_sources(profile: ProfileCapture) -> list[tuple[str, str]]:
    sources: list[tuple[str, str]] = []
    if profile.signals is not None and profile.signals.onetrust is not None:
        notice = profile.signals.onetrust.optout_signal_notice
        if notice:
            sources.append(("the consent manager's opt-out signal notice", notice))
    consent = profile.consent
    if consent is not None and consent.banner is not None:
        sources.append(("the consent banner", consent.banner.text))
    sources.append(("the page", profile.homepage.visible_text))
    if consent is None:
        return sources
    for block in consent.page_text:
        where = "the page, read once it was quiet" if block.where == "document" else f"the page ({block.where})"
        sources.append((where, block.text))
    if consent.status_survey is not None:
        sources += [(block.where, block.text) for block in consent.status_survey.texts]
    if consent.preference_center is not None:
        sources.append(("the preference center", consent.preference_center.text))
    target = consent.dns_target
    if target is not None:
        sources.append(("the opt-out link's destination", target.text))
        if target.dialog is not None:
            sources.append(("the opt-out link's panel", target.dialog.text))
    return sources


def _not_looked_at(gpc: ProfileCapture, optout: ProfileCapture | None) -> str | None:
    """Why a place the status may live in (preference center, opt-out destination) was not read with GPC on, when the
    site has one; None when every place was looked at. A fail needs the look to have been made."""
    seen = optout.consent if optout is not None else None
    panels = [] if seen is None else [seen.preference_center, seen.dns_target.dialog if seen.dns_target else None]
    unread = next((panel for panel in panels if unread_frame(panel)), None)
    if unread is not None:
        return f"the preference center is a frame from {unread.frame_url[:200]} in which the auditor could read nothing"
    consent = gpc.consent
    survey = consent.status_survey if consent is not None else None
    if survey is not None:
        stopped = [note for note in survey.notes if note.startswith("stopped")]
        return f"the look into the preference center and the opt-out destination {stopped[0]}" if stopped else None
    has_places = consent is not None and (consent.banner is not None or consent.preference_center is not None)
    if seen is not None:
        has_places = has_places or seen.dns_target is not None or seen.preference_center is not None
    if not has_places:
        return None
    return "the preference center and the opt-out destination were not opened with GPC on"


def _survey_steps(gpc: ProfileCapture) -> list[TableEvidence]:
    survey = gpc.consent.status_survey if gpc.consent is not None else None
    if survey is None or not survey.steps:
        return []
    return [steps_table(survey.steps, "Steps of the look with GPC on (nothing switched or saved)")]


def _opted_out_controls(evidence: SiteEvidence, comparison: Comparison) -> list[str]:
    """Preference-center controls for sale/sharing/targeting shown opted out with GPC on (and not without)."""
    gpc_consent = comparison.gpc.consent
    shown_with = []
    if gpc_consent is not None:
        if gpc_consent.status_survey is not None:
            shown_with += gpc_consent.status_survey.controls
        if gpc_consent.preference_center is not None:
            shown_with += gpc_consent.preference_center.toggles
    before = {}
    for profile in (comparison.base, evidence.profiles.get("optout")):
        consent = profile.consent if profile is not None else None
        if consent is None:
            continue
        if consent.preference_center is not None:
            before.update({t.label: t for t in consent.preference_center.toggles})
        if consent.flow is not None:
            before.update({t.label: t for t in consent.flow.toggles_before})
    shown = []
    for toggle in shown_with:
        if not toggle.governs or toggle.state != toggle.optout_state or toggle.always_active:
            continue
        earlier = before.get(toggle.label)
        if earlier is None or earlier.state != earlier.optout_state:
            shown.append(f"{toggle.label} ({toggle.state})")
    return sorted(set(shown))


def _images(comparison: Comparison) -> list[ImageEvidence]:
    images = []
    shot = comparison.gpc.homepage.viewport_screenshot
    if shot:
        images.append(ImageEvidence(label="Homepage with GPC on", screenshot=ScreenshotRef(**shot.model_dump())))
    consent = comparison.gpc.consent
    survey = consent.status_survey if consent is not None else None
    if survey is not None and "preference_center" in survey.screenshots:
        shot = survey.screenshots["preference_center"]
        images.append(
            ImageEvidence(label="Preference center with GPC on", screenshot=ScreenshotRef(**shot.model_dump()))
        )
    return images


def _quote(text: str) -> str:
    return text[:200].rstrip(".")


def _searched(params: StatusParams) -> str:
    return (
        f"a sentence naming the signal ({', '.join(params.signal_terms)}) and saying it was processed "
        f"({', '.join(params.processed_terms)}); or one of: {'; '.join(params.phrases)}"
    )
