"""Opt-out path and choice-language rules on consent evidence: CA-L6, CA-L7/O3, CA-O1, CA-D3, CA-D4, CA-D5."""

from __future__ import annotations

from auditor.evidence.consent import (
    Banner,
    ConsentButton,
    ConsentEvidence,
    DnsTarget,
    FormField,
    FormInfo,
    OptOutFlow,
    PreferenceCenter,
    Step,
    Toggle,
)
from tests.unit.rule_evidence import BARE, evidence, footer_links, judge, link, page, policy

DNS = "Do Not Sell or Share My Personal Information"
SALE_TOGGLE = Toggle(label="Sale or sharing of personal information", kind="switch", state="on")


def _target(**fields) -> DnsTarget:
    base = {"link_text": DNS, "outcome": "page", "url": "https://www.example-store.com/dnsmpi", "status": 200}
    return DnsTarget(**{**base, **fields})


def _site(target: DnsTarget | None = None, *, links=None, banner: Banner | None = None, flow=None, center=None):
    """The banner as the baseline visit saw it; the opt-out link's target, the controls and the flow's log as the
    optout visit recorded them (only it follows the link)."""
    home = page(links if links is not None else footer_links(link(DNS)))
    flow = flow or OptOutFlow(entry="dns_link" if target is not None else "none")
    optout = ConsentEvidence(banner=banner, dns_target=target, preference_center=center, flow=flow)
    return evidence(home, consent=ConsentEvidence(banner=banner), optout_consent=optout)


def _button(text: str, kind: str) -> ConsentButton:
    return ConsentButton(text=text, kind=kind)


# --- ccpa.optout-not-cookie-only (CA-L6) ----------------------------------------------------------------


def test_opt_out_page_about_selling_and_sharing_passes():
    target = _target(text="Use the switch to opt out of the sale or sharing of your personal information.")
    finding = judge("ccpa.optout-not-cookie-only", _site(target))
    assert finding.status == "pass" and "sale or sharing" in finding.evidence[0].text


def test_opt_out_link_that_opens_only_cookie_categories_fails():
    dialog = PreferenceCenter(
        found_by="dialog", text="Manage cookies. We use cookies to improve your experience.",
        toggles=[Toggle(label="Performance cookies", kind="switch", state="on")],
    )  # fmt: skip
    finding = judge("ccpa.optout-not-cookie-only", _site(_target(outcome="dialog", dialog=dialog)))
    assert finding.status == "fail", finding.message


def test_cookie_banner_as_the_only_opt_out_on_a_tracking_site_fails():
    banner = Banner(found_by="heuristic", text="We use cookies.", buttons=[_button("Accept cookies", "accept")])
    finding = judge("ccpa.optout-not-cookie-only", _site(links=footer_links(), banner=banner))
    assert finding.status == "fail"


def test_link_whose_target_was_not_captured_or_is_broken_goes_to_review():
    assert judge("ccpa.optout-not-cookie-only", _site(None)).status == "review"
    assert judge("ccpa.optout-not-cookie-only", _site(_target(status=404))).status == "review"


# --- ccpa.optout-no-verification (CA-L7, CA-O3) -------------------------------------------------------------


def _form(*fields: FormField) -> FormInfo:
    return FormInfo(fields=list(fields), submit_texts=["Submit"])


def test_opt_out_by_a_switch_without_questions_passes():
    assert judge("ccpa.optout-no-verification", _site(_target(controls=[SALE_TOGGLE]))).status == "pass"


def test_sign_in_wall_fails():
    finding = judge("ccpa.optout-no-verification", _site(_target(login_wall="the page asks for a password")))
    assert finding.status == "fail" and "sign-in" in finding.message


def test_identity_document_or_too_many_required_fields_fail():
    upload = _form(FormField(name="id", type="file", label="Upload a copy of your driver's license"))
    many = _form(*(FormField(name=n, type="text", label=n, required=True) for n in ("first", "last", "email", "phone")))
    assert judge("ccpa.optout-no-verification", _site(_target(forms=[upload]))).status == "fail"
    finding = judge("ccpa.optout-no-verification", _site(_target(forms=[many])))
    assert finding.status == "fail" and "4" in finding.message


def test_a_required_email_goes_to_review():
    email = _form(FormField(name="email", type="email", label="Email", required=True))
    finding = judge("ccpa.optout-no-verification", _site(_target(forms=[email])))
    assert finding.status == "review" and "Email" in finding.message


def test_no_link_no_rule():
    assert judge("ccpa.optout-no-verification", _site(None, links=footer_links())).status == "not_applicable"


# --- ccpa.optout-methods (CA-O1) ------------------------------------------------------------------------


def test_no_link_and_a_policy_silent_on_signals_fails():
    site = evidence(page(footer_links()), policy=policy(BARE))
    assert judge("ccpa.optout-methods", site).status == "fail"


def test_methods_with_a_link_are_listed_for_review():
    finding = judge("ccpa.optout-methods", _site(_target(controls=[SALE_TOGGLE])))
    assert finding.status == "review" and finding.evidence[0].rows[0][1] == DNS


def test_no_link_and_no_sign_of_sale_is_not_applicable():
    assert judge("ccpa.optout-methods", evidence(page(footer_links(), ads=False))).status == "not_applicable"


# --- ccpa.banner-no-ask-later (CA-D3) ------------------------------------------------------------------


def test_yes_and_ask_me_later_only_fails():
    banner = Banner(found_by="heuristic", text="Can we use cookies?",
                    buttons=[_button("Yes, I agree", "accept"), _button("Ask me later", "other")])  # fmt: skip
    finding = judge("ccpa.banner-no-ask-later", _site(banner=banner))
    assert finding.status == "fail" and "Ask me later" in finding.message


def test_banner_with_a_decline_button_passes():
    banner = Banner(found_by="heuristic", text="Cookies",
                    buttons=[_button("Accept all", "accept"), _button("Decline all", "reject")])  # fmt: skip
    assert judge("ccpa.banner-no-ask-later", _site(banner=banner)).status == "pass"


def test_no_banner_no_rule():
    assert judge("ccpa.banner-no-ask-later", _site()).status == "not_applicable"


# --- ccpa.clear-choice-language (CA-D4) ----------------------------------------------------------------


def test_do_not_sell_answered_with_yes_no_fails():
    double = Toggle(label="Do Not Sell My Personal Information", kind="button_pair", state="off", options=["Yes", "No"])
    center = PreferenceCenter(found_by="dialog", toggles=[double])
    finding = judge("ccpa.clear-choice-language", _site(center=center))
    assert finding.status == "fail" and "double negative" in finding.message


def test_labelled_controls_pass_and_unlabelled_ones_go_to_review():
    labelled = PreferenceCenter(found_by="dialog", toggles=[SALE_TOGGLE])
    bare = PreferenceCenter(found_by="dialog", toggles=[Toggle(label="", kind="switch", state="on")])
    assert judge("ccpa.clear-choice-language", _site(center=labelled)).status == "pass"
    assert judge("ccpa.clear-choice-language", _site(center=bare)).status == "review"


# --- ccpa.optout-easy (CA-D5) --------------------------------------------------------------------------


def _flow(completed: bool = True, ok: bool = True) -> OptOutFlow:
    steps = [
        Step(t_ms=0, action="click", target=DNS, user_step=True),
        Step(t_ms=900, action="toggle", target="Sale or sharing", user_step=True, ok=ok),
        Step(t_ms=1500, action="click", target="Confirm my choices", user_step=True),
    ]
    return OptOutFlow(entry="dns_link", completed=completed, steps=steps)


def test_opt_out_completed_without_trouble_passes_with_its_steps():
    finding = judge("ccpa.optout-easy", _site(_target(controls=[SALE_TOGGLE]), flow=_flow()))
    assert finding.status == "pass" and "3 visitor step(s)" in finding.message


def test_broken_opt_out_link_fails():
    finding = judge("ccpa.optout-easy", _site(_target(status=404), flow=_flow(completed=False)))
    assert finding.status == "fail" and "HTTP 404" in finding.message


def test_flow_that_stumbled_goes_to_review():
    assert judge("ccpa.optout-easy", _site(_target(), flow=_flow(ok=False))).status == "review"


def test_an_opt_out_only_autoconsent_could_carry_out_goes_to_review():
    # No link, no settings, no refusal a visitor could read: autoconsent's rule knew the manager's unnamed button.
    steps = [
        Step(t_ms=300, action="note", target="autoconsent", detail="the auditor found no way to opt out"),
        Step(t_ms=500, action="observe", target="autoconsent opt-out", detail="bluepark: done"),
    ]
    flow = OptOutFlow(entry="autoconsent", completed=True, saved_with="autoconsent's bluepark opt-out", steps=steps)
    finding = judge("ccpa.optout-easy", _site(links=[], flow=flow))
    assert finding.status == "review"
    assert "autoconsent's bluepark opt-out" in finding.message and "visitor can find" in finding.message
