"""Report evidence built from the consent capture: screenshots, the toggle table, the step log, request diffs,
and the CMP's stored consent read from its cookies (OneTrust ``OptanonConsent``, vanilla-cookieconsent ``cc_cookie``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import unquote

from auditor.checks.gpc.tables import steps_table
from auditor.checks.registry import CheckContext
from auditor.evidence import PageCapture, RequestRecord, ScreenshotArtifact, SiteEvidence
from auditor.evidence.consent import ConsentEvidence, OptOutFlow, StorageSnapshot, Toggle
from auditor.findings import ImageEvidence, ScreenshotRef, TableEvidence
from auditor.signals import SignalDecodeError, decode_optanon_consent


def image(label: str, shot: ScreenshotArtifact) -> ImageEvidence:
    """A screenshot artifact as report evidence."""
    return ImageEvidence(label=label, screenshot=ScreenshotRef(**shot.model_dump()))


def toggle_table(label: str, toggles: list[Toggle]) -> TableEvidence:
    """One list of controls: label, kind, state, what it governs."""
    return TableEvidence(
        label=label,
        columns=["control", "kind", "state", "governs", "opted out when", "can be switched"],
        rows=[
            [
                t.label or t.control_label or "(no label)",
                t.kind.replace("_", " "),
                t.state,
                ", ".join(t.governs) or "-",
                t.optout_state,
                _switchable(t),
            ]
            for t in toggles
        ],
    )


def _switchable(toggle: Toggle) -> str:
    if toggle.always_active:
        return "no (always active)"
    return "no (disabled)" if toggle.disabled else "yes"


def flow_toggle_table(flow: OptOutFlow) -> TableEvidence:
    """The controls before the opt-out, right after switching, and when opened again after the reload."""
    after = {t.label: t.state for t in flow.toggles_after}
    reload = {t.label: t.state for t in flow.toggles_after_reload}
    rows = []
    for t in flow.toggles_before:
        rows.append(
            [
                t.label or t.control_label or "(no label)",
                t.kind.replace("_", " "),
                ", ".join(t.governs) or "-",
                t.state,
                after.get(t.label, "-"),
                reload.get(t.label, "-") if flow.reopened_after_reload else "not reopened",
                t.optout_state if t.governs else "-",
                _switchable(t),
            ]
        )
    return TableEvidence(
        label="Controls before and after the opt-out",
        columns=[
            "control",
            "kind",
            "governs",
            "before",
            "after switching",
            "after reload",
            "opted out when",
            "can be switched",
        ],
        rows=rows,
    )


ENTRY_NAMES = {
    "dns_link": "opt-out link",
    "banner": "banner",
    "banner_settings": "banner settings button",
    "banner_reject": "banner reject button",
    "floating_button": "cookie-settings button",
    "autoconsent": "the consent manager's own opt-out (autoconsent)",
    "none": "none",
}


def step_table(flow: OptOutFlow) -> TableEvidence:
    """The opt-out flow's step log."""
    return steps_table(flow.steps, f"Step log of the opt-out (entry: {ENTRY_NAMES.get(flow.entry, flow.entry)})")


def flow_items(consent: ConsentEvidence, evidence: SiteEvidence, *, include_requests: bool) -> list:
    """Screenshots (banner, preference center before/after/reload), the toggle table and the step log."""
    items: list = []
    if consent.banner is not None and consent.banner.screenshot:
        items.append(image("Banner as first shown (opt-out visit)", consent.banner.screenshot))
    flow = consent.flow
    shots = flow.screenshots if flow is not None else {}
    target = consent.dns_target
    if "preference_center" in shots:
        items.append(image("Preference center as opened", shots["preference_center"]))
    elif target is not None and target.screenshot and target.outcome in ("page", "new_tab"):
        items.append(image("Opt-out page", target.screenshot))
    for key, label in (
        ("preference_center_after", "Preference center after switching"),
        ("preference_center_reload", "Opened again after the reload"),
        ("banner_after_reload", "Banner after the reload"),
    ):
        if key in shots:
            items.append(image(label, shots[key]))
    if flow is not None:
        if flow.toggles_before:
            items.append(flow_toggle_table(flow))
        if flow.steps:
            items.append(step_table(flow))
    return items


def advertising_requests(page: PageCapture, context: CheckContext) -> list[tuple[RequestRecord, object]]:
    """Third-party requests of a page that go to advertising, marketing or social parties."""
    trackers = context.trackers
    if trackers is None:
        return []
    found = []
    for request in page.requests:
        if not request.third_party:
            continue
        match = trackers.classify_request(request.url, page.final_url, request.resource_type)
        if match is not None and trackers.advertising_like(match.category):
            found.append((request, match))
    return found


def request_diff_table(before: list, after: list) -> TableEvidence:
    """Advertising requests per third party on the first load and after the opt-out and reload."""
    parties: dict[str, list] = {}
    for index, requests in ((0, before), (1, after)):
        for request, match in requests:
            row = parties.setdefault(
                request.registrable_domain, [request.registrable_domain, f"{match.category} ({match.owner})", 0, 0, ""]
            )
            row[2 + index] += 1
            if index == 1 and not row[4]:
                row[4] = request.url[:160]
    rows = sorted(parties.values(), key=lambda r: (-r[3], r[0]))
    return TableEvidence(
        label="Advertising requests before the opt-out and after the reload",
        columns=["third party", "kind", "requests before", "requests after", "example after"],
        rows=rows,
    )


@dataclass
class StoredState:
    opted_out: bool
    summary: str
    table: TableEvidence


def stored_consent(consent: ConsentEvidence, flow: OptOutFlow, governing: list[Toggle]) -> StoredState | None:
    """What the CMP stored for the sale/sharing/targeting categories, read from its own cookie; None when the CMP's
    storage is not one the auditor can read or the controls carry no category id."""
    ids = [(t.group_id, t.label) for t in governing if t.group_id]
    if not ids:
        return None
    snapshots = [
        ("before", flow.storage_before),
        ("after saving", flow.storage_after),
        ("after reload", flow.storage_after_reload),
    ]
    for reader in (_onetrust_groups, _cookieconsent_categories):
        states = [(name, reader(snapshot)) for name, snapshot in snapshots]
        final = states[-1][1] if states[-1][1] is not None else states[1][1]
        if final is None:
            continue
        known = [(gid, label) for gid, label in ids if gid in final]
        if not known:
            continue
        source = (reader.__doc__ or "").split(":")[0]
        rows = [[f"{label} ({gid})"] + [_onoff(state, gid) for _, state in states] for gid, label in known]
        table = TableEvidence(
            label=f"Stored consent ({source})", columns=["category", *[n for n, _ in snapshots]], rows=rows
        )
        off = [label for gid, label in known if final[gid] is False]
        if len(off) == len(known):
            return StoredState(True, f"{source} stores the opt-out for " + ", ".join(f'"{x}"' for x in off), table)
        still = [f'"{label}"' for gid, label in known if final[gid] is not False]
        return StoredState(False, f"{source} still stores consent for {', '.join(still)}", table)
    return None


def _onoff(state: dict[str, bool] | None, gid: str) -> str:
    if state is None or gid not in state:
        return "-"
    return "on" if state[gid] else "off"


def _onetrust_groups(snapshot: StorageSnapshot) -> dict[str, bool] | None:
    """OneTrust OptanonConsent groups: ``{group id: consented}``."""
    raw = snapshot.cookies.get("OptanonConsent")
    if not raw:
        return None
    try:
        return dict(decode_optanon_consent(raw).groups)
    except SignalDecodeError:
        return None


def _cookieconsent_categories(snapshot: StorageSnapshot) -> dict[str, bool] | None:
    """vanilla-cookieconsent cc_cookie categories: ``{category: accepted}`` (accepted ones are listed)."""
    raw = snapshot.cookies.get("cc_cookie")
    if not raw:
        return None
    try:
        data = json.loads(unquote(raw))
    except ValueError:
        return None
    accepted = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(accepted, list):
        return None
    # v3 lists every category under "services" (accepted or not); a category missing from "categories" is refused.
    known = set(accepted) | set(data.get("services") or {})
    return {str(category): category in accepted for category in known}
