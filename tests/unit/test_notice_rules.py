"""Homepage notice rules on hand-built evidence: conspicuous link, opt-out icon, Limit-the-Use link, notice at
collection."""

from __future__ import annotations

from tests.unit.rule_evidence import evidence, footer_links, icon, icons, judge, link, page, policy

DNS = "Do Not Sell or Share My Personal Information"
CHOICES = "Your Privacy Choices"


# --- ccpa.dns-link-conspicuous (CA-L2) ------------------------------------------------------------------


def test_link_styled_like_the_other_footer_links_passes():
    finding = judge("ccpa.dns-link-conspicuous", evidence(page(footer_links(link(DNS, x=300)))))
    assert finding.status == "pass", finding.message
    table = next(item for item in finding.evidence if item.kind == "table")
    assert table.rows[0][0] == DNS and len(table.rows) == 4


def test_link_in_much_smaller_type_fails():
    finding = judge("ccpa.dns-link-conspicuous", evidence(page(footer_links(link(DNS, size=9, x=300)))))
    assert finding.status == "fail" and "9 px" in finding.message and "14 px" in finding.message


def test_slightly_smaller_or_differently_coloured_link_goes_to_review():
    smaller = judge("ccpa.dns-link-conspicuous", evidence(page(footer_links(link(DNS, size=13, x=300)))))
    paler = judge("ccpa.dns-link-conspicuous", evidence(page(footer_links(link(DNS, color="rgb(200, 200, 200)")))))
    assert (smaller.status, paler.status) == ("review", "review")


def test_transparent_link_fails():
    site = evidence(page(footer_links(link(DNS, color="rgba(34, 34, 34, 0)"))))
    assert judge("ccpa.dns-link-conspicuous", site).status == "fail"


def test_link_with_nothing_to_compare_goes_to_review_and_no_link_is_not_applicable():
    alone = judge("ccpa.dns-link-conspicuous", evidence(page([link(DNS, footer=False)])))
    missing = judge("ccpa.dns-link-conspicuous", evidence(page(footer_links())))
    assert (alone.status, missing.status) == ("review", "not_applicable")


def test_link_outside_the_footer_is_compared_with_its_row():
    header = [link("Shop", footer=False, y=20, x=0), link("Stores", footer=False, y=20, x=80)]
    far = [link("Careers", footer=False, y=900, x=0, size=9)]
    site = evidence(page([*header, *far, link(DNS, footer=False, y=22, x=200, size=9)]))
    finding = judge("ccpa.dns-link-conspicuous", site)
    assert finding.status == "fail", finding.message


# --- ccpa.alternative-link-icon (CA-L3) -----------------------------------------------------------------


def _choices_site(choice_links):
    return evidence(page(footer_links(link(CHOICES, x=300))), choice_links=choice_links)


def test_official_icon_next_to_the_alternative_link_passes():
    finding = judge("ccpa.alternative-link-icon", _choices_site(icons(CHOICES, icon(alt="CCPA Opt-Out Icon"))))
    assert finding.status == "pass", finding.message


def test_alternative_link_without_an_icon_fails():
    assert judge("ccpa.alternative-link-icon", _choices_site(icons(CHOICES))).status == "fail"


def test_unidentified_image_or_odd_size_goes_to_review():
    unknown = judge("ccpa.alternative-link-icon", _choices_site(icons(CHOICES, icon(src="/img/a1b2.png"))))
    huge = judge("ccpa.alternative-link-icon", _choices_site(icons(CHOICES, icon(height=60))))
    assert (unknown.status, huge.status) == ("review", "review")


def test_icon_rule_does_not_apply_to_the_do_not_sell_link():
    site = evidence(page(footer_links(link(DNS))), choice_links=icons(DNS))
    assert judge("ccpa.alternative-link-icon", site).status == "not_applicable"


def test_icon_rule_without_icon_evidence_is_not_assessable():
    assert judge("ccpa.alternative-link-icon", _choices_site(None)).status == "not_assessable"


# --- ccpa.limit-spi-link (CA-L4) ------------------------------------------------------------------------


def test_limit_the_use_link_passes():
    site = evidence(page(footer_links(link("Limit the Use of My Sensitive Personal Information"))))
    assert judge("ccpa.limit-spi-link", site).status == "pass"


def test_missing_limit_link_is_never_a_failure_because_applicability_is_unknown():
    finding = judge("ccpa.limit-spi-link", evidence(page(footer_links(link(DNS)))))
    assert finding.status == "review" and "cannot determine" in finding.message


def test_alternative_link_may_stand_in_for_the_limit_link():
    finding = judge("ccpa.limit-spi-link", evidence(page(footer_links(link(CHOICES)))))
    assert finding.status == "review" and "Your Privacy Choices" in finding.message


# --- ccpa.notice-at-collection (CA-P4) ------------------------------------------------------------------


def test_notice_at_collection_link_passes():
    assert (
        judge("ccpa.notice-at-collection", evidence(page(footer_links(link("Notice at Collection"))))).status == "pass"
    )


def test_no_notice_and_no_policy_link_on_a_tracking_site_fails():
    finding = judge("ccpa.notice-at-collection", evidence(page(footer_links())))
    assert finding.status == "fail"
    assert any(item.kind == "table" for item in finding.evidence)


def test_privacy_link_or_notice_inside_the_policy_goes_to_review():
    privacy_only = evidence(page(footer_links(link("Privacy Policy"))))
    inside = evidence(
        page(footer_links(link("Privacy Policy"))),
        policy=policy("Privacy Policy\nNotice at Collection\nWe collect identifiers. " * 20),
    )
    assert judge("ccpa.notice-at-collection", privacy_only).status == "review"
    assert "contains one" in judge("ccpa.notice-at-collection", inside).message
