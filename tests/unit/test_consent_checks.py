"""The four consent checks on hand-made evidence: what passes, fails, or needs a person, and why."""

from __future__ import annotations

import datetime as dt

from auditor.engine import default_context
from auditor.evidence import (
    BrowserInfo,
    PageCapture,
    ProfileCapture,
    RequestRecord,
    SiteEvidence,
    SiteInfo,
    ToolInfo,
    Vantage,
)
from auditor.evidence.consent import (
    Banner,
    ChoicePath,
    ConsentButton,
    ConsentEvidence,
    DnsTarget,
    FormField,
    FormInfo,
    OptInRun,
    OptOutFlow,
    PreferenceCenter,
    StorageSnapshot,
    Toggle,
)
from tests.unit.rule_evidence import run_check

NOW = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
CONTEXT = default_context(dt.date(2026, 11, 27))
SITE = "https://www.example-shop.com/"
AD = "https://securepubads.g.doubleclick.net/tag/js/gpt.js"


def page(*urls: str) -> PageCapture:
    requests = [
        RequestRecord(
            url=u,
            host=u.split("/")[2],
            registrable_domain=".".join(u.split("/")[2].split(".")[-2:]),
            third_party=True,
            resource_type="script",
        )
        for u in urls
    ]
    return PageCapture(requested_url=SITE, final_url=SITE, status=200, requests=requests)


def evidence(
    consent: ConsentEvidence, home: PageCapture | None = None, after: PageCapture | None = None
) -> SiteEvidence:
    """The optout visit with ``consent``; its flow, when not given, is one that found no way in (as capture records)."""
    if consent.flow is None:
        consent = consent.model_copy(update={"flow": OptOutFlow(entry="none")})
    capture = ProfileCapture(
        profile="optout", gpc=False, started_at=NOW, finished_at=NOW, homepage=home or page(), consent=consent
    )
    if after is not None:
        capture.pages["after_optout"] = after
    return SiteEvidence(
        site=SiteInfo(url=SITE, host="www.example-shop.com", site_id="www.example-shop.com"),
        tool=ToolInfo(version="test"),
        browser=BrowserInfo(),
        vantage=Vantage(),
        started_at=NOW,
        finished_at=NOW,
        profiles={"optout": capture},
    )


def run(name: str, consent: ConsentEvidence, **pages):
    return run_check(name, evidence(consent, **pages), audit_date=CONTEXT.audit_date)


def button(text: str, kind: str, element_id: str = "") -> ConsentButton:
    return ConsentButton(text=text, kind=kind, element_id=element_id)


def sale_toggle(state: str = "on", **extra) -> Toggle:
    return Toggle(
        label="Sale of Personal Data", kind="switch", state=state, governs=["sale"], group_id="SPD_BG", **extra
    )


# -- choice symmetry ---------------------------------------------------------------------------------------------
def test_accept_without_an_equal_reject_fails_whatever_the_ids_say():
    banner = Banner(
        found_by="heuristic",
        text="We use cookies",
        buttons=[button("Accept", "accept"), button("Cookie Settings", "settings", "reject-all-button")],
    )
    outcome = run("choice_symmetry", ConsentEvidence(banner=banner))
    assert outcome.status == "fail"
    assert '"Cookie Settings" (settings)' in outcome.message


def test_a_decline_with_no_name_is_described_not_quoted_as_empty():
    unnamed = ConsentButton(text="", kind="other", tag="button", visible=True)
    banner = Banner(found_by="heuristic", text="We use cookies", buttons=[button("Accept all", "accept"), unnamed])
    outcome = run("choice_symmetry", ConsentEvidence(banner=banner))
    assert outcome.status == "fail"
    assert "its other buttons: a button with no text or accessible name (other)" in outcome.message
    assert '""' not in outcome.message


def test_more_steps_to_opt_out_than_to_opt_in_fails():
    flow = OptOutFlow(
        entry="dns_link",
        paths=[
            ChoicePath(direction="opt-in", entry="dns_link", steps=["link", "Allow All"], count=2, measured=False),
            ChoicePath(
                direction="opt-out", entry="dns_link", steps=["link", "switch", "Confirm"], count=3, measured=True
            ),
        ],
    )
    outcome = run("choice_symmetry", ConsentEvidence(flow=flow))
    assert outcome.status == "fail" and "opting out takes 3 steps" in outcome.message


def test_equal_paths_and_a_reject_button_pass():
    banner = Banner(
        found_by="x", text="Cookies", buttons=[button("Accept All", "accept"), button("Reject All", "reject")]
    )
    flow = OptOutFlow(
        entry="dns_link",
        paths=[
            ChoicePath(direction="opt-in", entry="dns_link", steps=["link", "Allow All"], count=2, measured=False),
            ChoicePath(direction="opt-out", entry="dns_link", steps=["link", "Reject All"], count=2, measured=False),
        ],
    )
    assert run("choice_symmetry", ConsentEvidence(banner=banner, flow=flow)).status == "pass"


def test_nothing_to_compare_is_not_applicable():
    assert run("choice_symmetry", ConsentEvidence(flow=OptOutFlow(entry="none"))).status == "not_applicable"


def test_a_site_with_only_opt_outs_offers_no_choice_to_compare():
    # Link only, no banner: everything runs by default and the only choices are opt-outs (issue #14, class 6).
    flow = OptOutFlow(
        entry="dns_link",
        completed=True,
        paths=[ChoicePath(direction="opt-out", entry="dns_link", steps=["link", "Save"], count=2, measured=True)],
    )
    outcome = run("choice_symmetry", ConsentEvidence(flow=flow))
    assert outcome.status == "not_applicable"
    assert "no choice to opt in" in outcome.message


def test_a_banner_with_accept_and_reject_side_by_side_passes_without_counted_paths():
    banner = Banner(found_by="x", text="Cookies", buttons=[button("Allow all", "accept"), button("Deny", "reject")])
    outcome = run("choice_symmetry", ConsentEvidence(banner=banner))
    assert outcome.status == "pass"
    assert '"Allow all" and "Deny" side by side' in outcome.message


def test_the_opt_in_taken_in_a_cold_context_is_what_is_counted():
    flow = OptOutFlow(
        entry="dns_link",
        paths=[
            ChoicePath(direction="opt-in", entry="dns_link", steps=["link", "Allow All"], count=2, measured=False),
            ChoicePath(
                direction="opt-in", entry="dns_link", steps=["link", "Settings", "Allow All"], count=3, measured=True
            ),
            ChoicePath(
                direction="opt-out", entry="dns_link", steps=["link", "Settings", "Deny All"], count=3, measured=True
            ),
        ],
    )
    outcome = run("choice_symmetry", ConsentEvidence(flow=flow))
    assert outcome.status == "pass"
    assert "opting in 3 steps" in outcome.message and "counted from the buttons" not in outcome.message


def test_an_opt_in_path_that_could_not_be_taken_goes_to_a_person():
    flow = OptOutFlow(
        entry="dns_link",
        paths=[
            ChoicePath(direction="opt-in", entry="dns_link", steps=["link", "Allow All"], count=2, measured=False),
            ChoicePath(direction="opt-out", entry="dns_link", steps=["link", "Deny All"], count=2, measured=True),
        ],
        opt_in=OptInRun(entry="dns_link", taken=False, detail="the link opened nothing in the cold context"),
    )
    outcome = run("choice_symmetry", ConsentEvidence(flow=flow))
    assert outcome.status == "review"
    assert "the link opened nothing in the cold context" in outcome.message


# -- dns link target ---------------------------------------------------------------------------------------------
def test_a_not_found_page_fails_even_with_status_200():
    target = DnsTarget(link_text="Do Not Sell", outcome="page", url=SITE + "dns", status=200, soft_404="page not found")
    assert run("dns_link_target", ConsentEvidence(dns_target=target)).status == "fail"


def test_a_sign_in_page_fails():
    target = DnsTarget(
        link_text="Do Not Sell",
        outcome="page",
        status=200,
        login_wall="the page asks for a password",
        forms=[FormInfo(fields=[FormField(name="password", type="password", required=True)])],
    )
    assert run("dns_link_target", ConsentEvidence(dns_target=target)).status == "fail"


def test_a_page_with_a_form_passes_and_lists_its_fields():
    target = DnsTarget(
        link_text="Do Not Sell",
        outcome="page",
        status=200,
        forms=[
            FormInfo(
                fields=[FormField(name="email", type="email", label="Email", required=True)],
                submit_texts=["Submit request"],
            )
        ],
    )
    outcome = run("dns_link_target", ConsentEvidence(dns_target=target))
    assert outcome.status == "pass"
    table = next(e for e in outcome.evidence if e.kind == "table")
    assert table.rows == [[1, "Email", "email", "yes"]]


def test_a_dialog_with_a_control_passes_and_a_link_that_opens_nothing_fails():
    dialog = PreferenceCenter(found_by="dialog", title="Privacy", toggles=[sale_toggle()])
    assert (
        run(
            "dns_link_target", ConsentEvidence(dns_target=DnsTarget(link_text="x", outcome="dialog", dialog=dialog))
        ).status
        == "pass"
    )
    assert (
        run("dns_link_target", ConsentEvidence(dns_target=DnsTarget(link_text="x", outcome="nothing"))).status == "fail"
    )


def test_a_framed_panel_the_auditor_could_not_read_goes_to_a_person_and_a_not_found_frame_fails():
    # A preference manager in a cross-origin frame: nothing read there (a closed shadow root, a canvas) proves
    # nothing; a frame that says "Not found" was read and offers nothing to act on.
    frame = "https://cdn.cmp.example.net/privacy-manager/"
    unread = PreferenceCenter(found_by="appeared after the click: div#pm", frame_url=frame)
    outcome = run(
        "dns_link_target", ConsentEvidence(dns_target=DnsTarget(link_text="x", outcome="dialog", dialog=unread))
    )
    assert outcome.status == "review"
    assert "could read no text, control or button" in outcome.message
    gone = unread.model_copy(update={"title": "Not found", "text": "Not found"})
    outcome = run(
        "dns_link_target", ConsentEvidence(dns_target=DnsTarget(link_text="x", outcome="dialog", dialog=gone))
    )
    assert outcome.status == "fail"


def test_a_panel_in_the_page_with_nothing_to_act_on_fails():
    empty = PreferenceCenter(found_by="dialog#prefs", title="Privacy", text="We respect your privacy.")
    outcome = run(
        "dns_link_target", ConsentEvidence(dns_target=DnsTarget(link_text="x", outcome="dialog", dialog=empty))
    )
    assert outcome.status == "fail"


def test_a_request_portal_demanding_identity_fails_even_with_a_form():
    # Issue #14, class 11: a form is there, but the consumer must verify identity before any opt-out.
    target = DnsTarget(
        link_text="Do Not Sell",
        outcome="page",
        status=200,
        off_site=True,
        url="https://privacy-portal.example.net/request",
        verification="the page asks for a government-issued ID",
        forms=[FormInfo(fields=[FormField(name="id_upload", type="file", label="Government ID", required=True)])],
    )
    outcome = run("dns_link_target", ConsentEvidence(dns_target=target))
    assert outcome.status == "fail"
    assert "(on another site)" in outcome.message and "verify their identity" in outcome.message


def test_a_click_that_changed_the_page_into_something_unreadable_goes_to_a_person():
    target = DnsTarget(link_text="Your Privacy Choices", outcome="nothing", page_changed=True)
    assert run("dns_link_target", ConsentEvidence(dns_target=target)).status == "review"


def test_a_page_whose_settings_button_opens_the_controls_passes():
    # Issue #14, class 3: an explanation, an "Open cookie settings" button that opens the toggles, an e-mail form.
    target = DnsTarget(
        link_text="Do Not Sell",
        outcome="page",
        status=200,
        url=SITE + "choices",
        buttons=[button("Open cookie settings", "settings")],
    )
    pc = PreferenceCenter(found_by="dialog#prefs", title="Cookie settings", toggles=[sale_toggle()])
    outcome = run(
        "dns_link_target", ConsentEvidence(dns_target=target, preference_center=pc, flow=OptOutFlow(entry="dns_link"))
    )
    assert outcome.status == "pass"
    assert 'a settings button that opens "Cookie settings" with 1 control' in outcome.message


def test_a_settings_button_the_auditor_could_not_open_is_not_proof_of_nothing():
    target = DnsTarget(
        link_text="Do Not Sell", outcome="page", status=200, buttons=[button("Open cookie settings", "settings")]
    )
    assert run("dns_link_target", ConsentEvidence(dns_target=target)).status == "review"


def test_no_link_to_follow_is_not_applicable():
    assert run("dns_link_target", ConsentEvidence()).status == "not_applicable"


# -- opt-out toggle ----------------------------------------------------------------------------------------------
def test_a_switchable_sale_control_passes_and_a_locked_one_fails():
    assert (
        run("optout_toggle", ConsentEvidence(flow=OptOutFlow(entry="dns_link", toggles_before=[sale_toggle()]))).status
        == "pass"
    )
    locked = sale_toggle(disabled=True)
    assert (
        run("optout_toggle", ConsentEvidence(flow=OptOutFlow(entry="dns_link", toggles_before=[locked]))).status
        == "fail"
    )


def test_cookie_categories_only_fail_when_the_site_has_ad_third_parties():
    perf = Toggle(label="Performance Cookies", kind="switch", state="on")
    consent = ConsentEvidence(flow=OptOutFlow(entry="dns_link", toggles_before=[perf]))
    assert run("optout_toggle", consent, home=page(AD)).status == "fail"
    assert run("optout_toggle", consent).status == "not_applicable"


# -- opt-out effective -------------------------------------------------------------------------------------------
def _flow(after_groups: str, reopened_state: str) -> OptOutFlow:
    cookie = f"isGpcEnabled=0&interactionCount=1&groups={after_groups}"
    return OptOutFlow(
        entry="dns_link",
        completed=True,
        switched=["Sale of Personal Data"],
        saved_with="Confirm My Choices",
        toggles_before=[sale_toggle()],
        toggles_after=[sale_toggle("off")],
        toggles_after_reload=[sale_toggle(reopened_state)],
        reopened_after_reload=True,
        storage_before=StorageSnapshot(cookies={"OptanonConsent": "groups=C0001%3A1%2CSPD_BG%3A1"}),
        storage_after=StorageSnapshot(cookies={"OptanonConsent": cookie}),
        storage_after_reload=StorageSnapshot(cookies={"OptanonConsent": cookie}),
        after_reload_page="after_optout",
    )


def test_stored_opt_out_that_persists_and_stops_ads_passes():
    outcome = run(
        "optout_effective", ConsentEvidence(flow=_flow("C0001%3A1%2CSPD_BG%3A0", "off")), home=page(AD), after=page()
    )
    assert outcome.status == "pass", outcome.message


def test_groups_still_on_fail_with_the_stored_values():
    outcome = run(
        "optout_effective", ConsentEvidence(flow=_flow("C0001%3A1%2CSPD_BG%3A1", "on")), home=page(AD), after=page(AD)
    )
    assert outcome.status == "fail"
    stored = next(e for e in outcome.evidence if e.label.startswith("Stored consent"))
    assert stored.rows == [["Sale of Personal Data (SPD_BG)", "on", "on", "on"]]


def test_ads_that_continue_after_a_stored_opt_out_fail_unless_they_carry_the_opt_out():
    flow = _flow("C0001%3A1%2CSPD_BG%3A0", "off")
    assert run("optout_effective", ConsentEvidence(flow=flow), home=page(AD), after=page(AD)).status == "fail"
    signalled = page(AD + "?us_privacy=1YYN")
    assert run("optout_effective", ConsentEvidence(flow=flow), home=page(AD), after=signalled).status == "review"


def test_nothing_readable_after_the_reload_needs_a_person():
    flow = _flow("C0001%3A1%2CSPD_BG%3A0", "off")
    flow.storage_after = flow.storage_after_reload = StorageSnapshot()
    flow.reopened_after_reload = False
    assert run("optout_effective", ConsentEvidence(flow=flow), home=page(), after=page()).status == "review"


def test_no_opt_out_to_use_is_not_applicable_without_signs_of_sale():
    assert run("optout_effective", ConsentEvidence(flow=OptOutFlow(entry="none"))).status == "not_applicable"
    consent = ConsentEvidence(flow=OptOutFlow(entry="none"))
    assert run("optout_effective", consent, home=page(AD)).status == "fail"
