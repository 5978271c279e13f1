"""The opt-out's last way in, end to end: autoconsent's own rule for the consent manager it detected.

www.cornerstone-deli.com carries a bluepark-style banner whose only refusal is an unlabelled icon button, with no
"Do Not Sell or Share" link and no settings: nothing a visitor's words can find. autoconsent's bluepark rule knows
the button. The auditor asks it to opt out, records that it did and how, reloads and verifies; the ad tag the page
loads unless the visitor refused is gone after the reload. Because no visitor has autoconsent's knowledge of the
markup, "easy to carry out" is for a person to judge, not a pass.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SITE = "www.cornerstone-deli.com"


@pytest.fixture(scope="module")
def deli(site_server, tmp_path_factory):
    from tests.conftest import AuditRun, run_cli

    out = tmp_path_factory.mktemp("deli") / "out"
    result = run_cli(
        [
            "audit",
            f"http://{SITE}/",
            "--profiles",
            "baseline,optout",
            "--out",
            str(out),
            "--no-history",
            "--map-host",
            f"*=127.0.0.1:{site_server.port}",
        ]
    )
    return AuditRun(result.returncode, result.stdout, result.stderr, out)


def test_autoconsent_carries_out_the_opt_out_the_page_gave_no_words_for(deli):
    consent = deli.evidence(SITE)["profiles"]["optout"]["consent"]
    assert [(b["text"], b["kind"]) for b in consent["banner"]["buttons"]] == [
        ("Accept all cookies", "accept"),
        ("", "other"),
    ]
    flow = consent["flow"]
    assert (flow["entry"], flow["completed"], flow["saved_with"]) == (
        "autoconsent",
        True,
        "autoconsent's bluepark opt-out",
    )
    asked = [s for s in flow["steps"] if s["target"] == "autoconsent opt-out"]
    assert len(asked) == 1 and asked[0]["ok"] and asked[0]["detail"] == "bluepark: done"
    assert flow["storage_after"]["cookies"].get("deli_consent") == "essential"
    assert flow["storage_after_reload"]["cookies"].get("deli_consent") == "essential"
    assert flow["banner_after_reload"] is False


def test_its_effect_is_proven_but_its_ease_is_left_to_a_person(deli):
    easy = deli.finding(SITE, "ccpa.optout-easy")
    assert easy["status"] == "review" and "autoconsent's bluepark opt-out" in easy["message"]
    effective = deli.finding(SITE, "ccpa.optout-effective")
    assert effective["status"] == "pass" and "no longer contacted" in effective["message"]
    symmetry = deli.finding(SITE, "ccpa.choice-symmetry")
    assert symmetry["status"] == "fail" and '"Accept all cookies"' in symmetry["message"]
    assert "a button with no text or accessible name (other)" in symmetry["message"]
