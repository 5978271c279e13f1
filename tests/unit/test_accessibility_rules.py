"""ccpa.notices-accessible (CA-A1) on hand-built accessibility evidence: axe results inside the notices, the
keyboard walk and the opt-out link's contrast decide it; what the capture could not see is review, never pass."""

from __future__ import annotations

from auditor.capture.accessibility.axe import axe_version, wcag_criteria
from auditor.capture.accessibility.gather import without_policy_page
from auditor.evidence import CaptureFailure, SiteEvidence
from auditor.evidence.accessibility import (
    AccessibilityEvidence,
    AxeNode,
    AxeResult,
    KeyboardWalk,
    KeyStep,
    LinkColours,
    NoticeScan,
    OptOutLinkContrast,
)
from auditor.evidence.base import ScreenshotArtifact
from auditor.evidence.notices import PolicyCandidate, PolicyEvidence
from tests.unit.rule_evidence import evidence, judge, run_check

RULE = "ccpa.notices-accessible"
LINK = "Do Not Sell or Share My Personal Information"


def scanned(notice: str, *violations: AxeResult, incomplete: tuple[AxeResult, ...] = ()) -> NoticeScan:
    return NoticeScan(notice=notice, outcome="scanned", violations=list(violations), incomplete=list(incomplete))


def axe(rule_id: str, impact: str, tags: tuple[str, ...] = ("wcag2a", "wcag412"), shot: bool = False) -> AxeResult:
    node = AxeNode(
        selector="#reject",
        html='<button id="reject">',
        screenshot=ScreenshotArtifact(path="evidence/baseline/accessibility/banner-x-1.png", width=90, height=50)
        if shot
        else None,
    )
    return AxeResult(rule_id=rule_id, impact=impact, help=f"{rule_id} help", tags=list(tags),
                     wcag=wcag_criteria(list(tags)), nodes=[node], node_count=1)  # fmt: skip


def walk(**fields) -> KeyboardWalk:
    base = dict(
        entry="dns_link", entry_label=f'the "{LINK}" link', entry_reached=True, entry_focusable=True, opened=True,
        toggles_total=2, toggles_reached=2, toggles_switched=2, notice_walk_complete=True, save_reached=True,
        steps=[KeyStep(key="Tab", presses=7, goal="reach the link", focused="a#dns", ok=True)],
    )  # fmt: skip
    return KeyboardWalk(**{**base, **fields})


def colours(ratio: float | None, text: str = LINK, size: float = 14.0) -> LinkColours:
    return LinkColours(text=text, font_size_px=size, font_weight=400, color="rgb(51, 51, 51)",
                       background="rgb(255, 255, 255)", contrast_ratio=ratio)  # fmt: skip


def contrast(ratio: float | None, peers: tuple[float, ...] = (12.6, 12.6, 12.6)) -> OptOutLinkContrast:
    return OptOutLinkContrast(
        link=colours(ratio), area="the footer links", peers=[colours(p, f"Link {i}") for i, p in enumerate(peers)]
    )


def clean_notices() -> list[NoticeScan]:
    return [
        scanned("banner"),
        scanned("footer"),
        scanned("optout"),
        scanned("policy"),
        NoticeScan(notice="preference_center", outcome="same_as_optout", reason="same dialog"),
    ]


def site(
    notices: list[NoticeScan] | None = None,
    keyboard: KeyboardWalk | None = None,
    link: OptOutLinkContrast | None = None,
) -> SiteEvidence:
    found = evidence()
    found.profiles["baseline"].accessibility = AccessibilityEvidence(
        axe_version="4.12.1",
        wcag_tags=["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
        notices=clean_notices() if notices is None else notices,
        keyboard=walk() if keyboard is None else keyboard,
        optout_link=contrast(12.6) if link is None else link,
    )
    return found


def test_clean_notices_a_working_keyboard_walk_and_contrast_pass():
    finding = judge(RULE, site())
    assert finding.status == "pass", finding.message
    assert "4.12.1" in finding.message and "keyboard alone" in finding.message
    labels = [item.label for item in finding.evidence]
    assert any(label.startswith("The notices axe-core 4.12.1 checked") for label in labels)
    assert any(label.startswith("The opt-out with the keyboard alone") for label in labels)
    assert any(label.startswith("The opt-out link's text against its background") for label in labels)


def test_a_serious_or_critical_violation_inside_a_notice_fails_with_its_rule_impact_criterion_and_crop():
    notices = clean_notices()
    notices[0] = scanned("banner", axe("button-name", "critical", shot=True))
    finding = judge(RULE, site(notices))
    assert finding.status == "fail"
    assert "button-name" in finding.message and "critical" in finding.message and "WCAG 4.1.2" in finding.message
    table = next(item for item in finding.evidence if item.label == "axe-core violations inside the notices")
    assert table.rows[0][:5] == ["the consent banner", "button-name", "critical", "4.1.2", 1]
    assert table.rows[0][5] == "#reject"
    image = next(item for item in finding.evidence if item.kind == "image")
    assert image.screenshot.path.endswith("banner-x-1.png") and "button-name" in image.label


def test_a_moderate_violation_or_an_undecided_serious_check_goes_to_review():
    moderate = clean_notices()
    moderate[3] = scanned("policy", axe("no-autoplay-audio", "moderate", ("wcag2a", "wcag142")))
    undecided = clean_notices()
    undecided[2] = scanned("optout", incomplete=(axe("color-contrast", "serious", ("wcag2aa", "wcag143")),))
    assert judge(RULE, site(moderate)).status == "review"
    finding = judge(RULE, site(undecided))
    assert finding.status == "review" and "color-contrast" in finding.message
    assert any(item.label.startswith("Checks axe-core left for a person") for item in finding.evidence)


def test_minor_violations_do_not_count_and_a_notice_not_opened_is_review_not_pass():
    minor = clean_notices()
    minor[1] = scanned("footer", axe("some-minor-rule", "minor"))
    assert judge(RULE, site(minor)).status == "pass"
    unopened = clean_notices()
    unopened[2] = NoticeScan(notice="optout", outcome="not_opened", reason="the link opened nothing")
    finding = judge(RULE, site(unopened))
    assert finding.status == "review" and "the link opened nothing" in finding.message


def test_focus_trapped_in_a_banner_that_does_not_cover_the_page_fails():
    finding = judge(RULE, site(keyboard=walk(entry_reached=False, trapped_in="the consent banner", opened=None)))
    assert (
        finding.status == "fail" and "trapped in the consent banner" in finding.message and "2.1.2" in finding.message
    )


def test_an_entry_tab_never_reaches_fails_but_not_behind_a_banner_that_covers_the_page():
    unreachable = walk(entry_reached=False, entry_focusable=False, opened=None, opened_by_pointer=True)
    assert judge(RULE, site(keyboard=unreachable)).status == "fail"
    modal = walk(entry_reached=False, banner_modal=True, opened=None)
    finding = judge(RULE, site(keyboard=modal))
    assert finding.status == "review" and "covers the page" in finding.message
    cut_short = walk(entry_reached=None, opened=None)
    assert judge(RULE, site(keyboard=cut_short)).status == "review"


def test_enter_that_opens_nothing_while_a_click_does_fails():
    finding = judge(RULE, site(keyboard=walk(opened=False, opened_by_pointer=True)))
    assert finding.status == "fail" and "Enter" in finding.message
    neither = judge(RULE, site(keyboard=walk(opened=False, opened_by_pointer=False)))
    assert neither.status == "review"


def test_toggles_space_cannot_switch_or_tab_cannot_reach_fail_and_an_unreadable_state_is_review():
    dead = walk(toggles_switched=1, toggles_keyboard_dead=["Sale of my personal information"])
    assert judge(RULE, site(keyboard=dead)).status == "fail"
    unreached = walk(toggles_reached=1, notice_walk_complete=True)
    assert "cannot be reached with Tab" in judge(RULE, site(keyboard=unreached)).message
    no_save = walk(save_reached=False)
    assert judge(RULE, site(keyboard=no_save)).status == "fail"
    unknown = walk(toggles_switched=1, toggles_state_unknown=["Analytics"])
    assert judge(RULE, site(keyboard=unknown)).status == "review"
    incomplete_walk = walk(toggles_reached=1, notice_walk_complete=False)
    assert judge(RULE, site(keyboard=incomplete_walk)).status == "review"


def test_link_text_below_the_wcag_minimum_fails_and_far_below_its_neighbours_is_review():
    faint = judge(RULE, site(link=contrast(1.51)))
    assert faint.status == "fail" and "1.51:1" in faint.message and "4.5:1" in faint.message
    paler = judge(RULE, site(link=contrast(5.0)))
    assert paler.status == "review" and "12.6:1" in paler.message
    unknown = judge(RULE, site(link=contrast(None)))
    assert unknown.status == "review"


def test_large_link_text_needs_only_three_to_one():
    large = contrast(3.4, peers=(3.6, 3.6))
    large.link.font_size_px = 24.0
    assert judge(RULE, site(link=large)).status == "pass"


def test_no_notice_at_all_is_not_applicable():
    absent = [NoticeScan(notice=n, outcome="absent", reason="none") for n in ("banner", "footer", "optout", "policy")]
    found = site(absent)
    accessibility = found.profiles["baseline"].accessibility
    assert accessibility is not None
    accessibility.keyboard = None
    accessibility.optout_link = None
    assert judge(RULE, found).status == "not_applicable"


def test_params_choose_the_notices_and_impacts():
    notices = clean_notices()
    notices[3] = scanned("policy", axe("document-title", "serious", ("wcag2a", "wcag242")))
    assert run_check("notices_accessible", site(notices)).status == "fail"
    assert run_check("notices_accessible", site(notices), {"notices": ["banner", "footer", "optout"]}).status == "pass"
    assert run_check("notices_accessible", site(notices), {"fail_impacts": ["critical"]}).status == "pass"


def test_without_the_accessibility_capture_the_rule_is_not_assessable_saying_why():
    old = evidence()  # evidence from before this capture step: no accessibility record
    finding = judge(RULE, old)
    assert finding.status == "not_assessable" and "accessibility capture" in finding.message
    failed = site()
    failed.profiles["baseline"].failures.append(CaptureFailure(step="accessibility", kind="timeout", message="slow"))
    finding = judge(RULE, failed)
    assert finding.status == "not_assessable" and "did not finish" in finding.message


def test_saved_evidence_round_trips_and_judges_the_same():
    original = site(keyboard=walk(trapped_in="the consent banner", entry_reached=False))
    again = SiteEvidence.model_validate_json(original.model_dump_json(by_alias=True))
    assert judge(RULE, again).model_dump() == judge(RULE, original).model_dump()


def test_wcag_criteria_and_the_pinned_axe_version():
    assert wcag_criteria(["cat.color", "wcag2aa", "wcag143", "wcag1410", "wcag21aa"]) == ["1.4.3", "1.4.10"]
    assert axe_version() == "4.12.1"


def test_a_linked_policy_the_auditor_could_not_read_is_not_opened_so_the_rule_asks_for_review():
    linked = PolicyCandidate(url="https://s.example/privacy.html", found_by="link_text", status=200)
    guessed = PolicyCandidate(url="https://s.example/privacy", found_by="common_path", status=404)
    reason, outcome = without_policy_page(PolicyEvidence(found=False, candidates=[guessed, linked]))
    assert outcome == "not_opened" and "https://s.example/privacy.html" in reason
    assert without_policy_page(PolicyEvidence(found=False, candidates=[guessed]))[1] == "absent"
    assert without_policy_page(None)[1] == "not_opened"  # the policy search failed: nothing is known
    notices = [NoticeScan(notice=n, outcome="absent", reason="none") for n in ("banner", "footer", "optout")]
    found = site([*notices, NoticeScan(notice="policy", outcome=outcome, reason=reason)])
    accessibility = found.profiles["baseline"].accessibility
    assert accessibility is not None
    accessibility.keyboard = None
    accessibility.optout_link = None
    finding = judge(RULE, found)
    assert finding.status == "review" and "could not be read as one" in finding.message


def test_the_notices_table_claims_no_clean_result_for_a_notice_axe_never_saw():
    notices = clean_notices()
    notices[0] = NoticeScan(notice="banner", outcome="not_opened", reason="gone")
    table = next(e for e in judge(RULE, site(notices)).evidence if e.kind == "table")
    rows = {row[0]: row for row in table.rows}
    assert rows["the consent banner"][3:] == ["-", "-"]
    assert rows["the privacy policy page"][3:] == ["none", 0]
