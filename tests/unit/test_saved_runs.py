"""``auditor check`` on runs saved by an earlier version gives the same findings.

``tests/unit/saved_runs/`` holds the evidence.json and report.json that ``auditor audit`` (at commit bb305e9,
before the rule engine enforced ``requires``) wrote for three fixture sites with every visit, and for one site with
``--profiles baseline``. Re-judging the saved evidence with today's rules must give the saved findings, word for
word, except where a finding was wrong before and the difference is listed here with the reason.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from auditor.commands.check import audit_date_for
from auditor.engine import default_context, unusable_homepage
from auditor.evidence import SiteEvidence
from auditor.judging import build_report
from auditor.options import Judging
from auditor.rulepacks import all_rules, builtin_pack_paths, load_packs, resolve_rules

SAVED = Path(__file__).parent / "saved_runs"
SITES = sorted(p.name for p in SAVED.iterdir() if (p / "evidence" / "evidence.json").is_file())
RULES = all_rules(load_packs(builtin_pack_paths()))
NOT_REQUESTED = "The optout visit was not captured: the gpc, optout visits were not requested (--profiles)"
# Findings that were wrong before: these rules read the opt-out link's target and the preference center, which only
# the optout visit captures, but required the baseline visit's (always empty) copy. Without the optout visit they
# guessed (review, or "not applicable: no controls were captured"); now they say the visit they need was not run.
CHANGED = {
    ("www.pacificherald-news.com-baseline-only", rule): ("not_assessable", NOT_REQUESTED)
    for rule in (
        "ccpa.optout-not-cookie-only",
        "ccpa.optout-no-verification",
        "ccpa.clear-choice-language",
        "ccpa.optout-easy",
    )
} | {
    # The site offers no choice to opt in (no banner, no accept button anywhere): there is nothing to compare the
    # opt-out with, which the evidence decides (issue #14, class 6) instead of leaving it to a person.
    ("www.harborlight-outfitters.com", "ccpa.choice-symmetry"): (
        "not_applicable",
        "The site offers no choice to opt in (no banner or preference center with an accept button): what it does "
        "runs by default and its only choices are opt-outs, so there is nothing to compare the opt-out with.",
    ),
    # Saved before the GPC visit opened the preference center and the opt-out destination to look for the status
    # display: with those places unread, "the site does not show it" was not proven (proof before fail, issue #14).
    **{
        (site, "ccpa.gpc-status-display"): (
            "review",
            "With GPC on, no statement says the signal was processed in what the auditor could read "
            f"({read}), but the preference center and the opt-out destination were not opened with GPC on: the "
            "status may be shown there, so a person must look.",
        )
        for site, read in (
            ("www.harborlight-outfitters.com", "the page"),
            ("www.pacificherald-news.com", "the consent banner; the page"),
        )
    },
    # The bot wall stopped every visit after the first: the rule names the visit it needs and why it is missing.
    ("www.botwall-outlet.com", "ccpa.clear-choice-language"): (
        "not_assessable",
        "The optout visit was not captured: the other visits were skipped: the homepage showed a bot check: "
        "page title 'Just a moment...' looks like a bot check",
    ),
}


# Fields a finding gained after bb305e9 (issue 15: the rule's jurisdictions and first day in force, the gate's
# decision): additive, so the saved findings have none of them; the rest must be the same, word for word.
ADDED_SINCE_SAVED = {"jurisdictions", "effective_from", "gate"}

# Rules added since the runs were saved: their evidence was never captured then, and they say so.
NO_ACCESSIBILITY = (
    "The baseline visit has no record of the accessibility capture (axe-core on the notices, the keyboard walk) "
    "(it was captured without that step)."
)
ADDED = {"ccpa.notices-accessible": NO_ACCESSIBILITY, "co.notices-accessible": NO_ACCESSIBILITY}

# Findings whose verdict stands but whose wording or evidence changed on purpose (issue #14): the message says more
# of what was seen (the settings button on the opt-out page and what it opens; that the choice stored nothing; the
# steps of each counted path; where the status display was looked for), the evidence tables are named for what they
# show ("panel", "counted from the buttons"). The status and every other field must still be the saved ones.
REWORDED = {
    ("www.harborlight-outfitters.com", "ccpa.dns-link-target"),
    ("www.harborlight-outfitters.com", "ccpa.optout-effective"),
    ("www.pacificherald-news.com", "ccpa.dns-link-target"),
    ("www.pacificherald-news.com", "ccpa.choice-symmetry"),
}
WORDING = ("message", "evidence")
# Changed findings that show evidence (the paths table and step log behind "no choice to opt in").
CHANGED_WITH_EVIDENCE = {
    ("www.harborlight-outfitters.com", "ccpa.choice-symmetry"),
    ("www.harborlight-outfitters.com", "ccpa.gpc-status-display"),
    ("www.pacificherald-news.com", "ccpa.gpc-status-display"),
}


def _recheck(site_dir: Path) -> tuple[list[dict], list[dict]]:
    evidence = SiteEvidence.load(site_dir / "evidence" / "evidence.json")
    packs = load_packs(builtin_pack_paths())
    judging = Judging(
        rules=resolve_rules(packs),
        rule_packs={p.pack: p.version for p in packs},
        context=default_context(audit_date_for(site_dir, evidence, None)),
    )
    saved = json.loads((site_dir / "report.json").read_text(encoding="utf-8"))["findings"]
    now = [f.model_dump(mode="json", exclude=ADDED_SINCE_SAVED) for f in build_report(evidence, judging).findings]
    known = {f["rule"] for f in saved}
    for finding in now:
        if finding["rule"] not in known:
            assert (finding["rule"], finding["status"]) in {(rule, "not_assessable") for rule in ADDED}, finding
            unusable = unusable_homepage(evidence.profiles["baseline"].homepage, "baseline")
            assert finding["message"] == (unusable or ADDED[finding["rule"]])
    return saved, [f for f in now if f["rule"] in known]


def test_the_saved_runs_are_there():
    assert SITES == [
        "www.botwall-outlet.com",
        "www.harborlight-outfitters.com",
        "www.pacificherald-news.com",
        "www.pacificherald-news.com-baseline-only",
    ]


@pytest.mark.parametrize("site", SITES)
def test_rechecking_a_saved_run_gives_the_saved_findings(site):
    saved, now = _recheck(SAVED / site)
    assert [f["rule"] for f in now] == [f["rule"] for f in saved]
    for before, after in zip(saved, now, strict=True):
        expected = before
        if (site, before["rule"]) in CHANGED:
            status, message = CHANGED[site, before["rule"]]
            shown = after["evidence"] if (site, before["rule"]) in CHANGED_WITH_EVIDENCE else []
            expected = {**before, "status": status, "message": message, "evidence": shown}
        if (site, before["rule"]) in REWORDED:
            expected = {**before, **{key: after[key] for key in WORDING}}
        # The rationale is the rule's as written today (a saved run carries the wording of its day).
        expected = {**expected, "rationale": RULES[before["rule"]].rationale}
        assert after == expected, before["rule"]


def test_each_listed_change_is_a_change():
    for site, rule in CHANGED:
        saved, _ = _recheck(SAVED / site)
        before = next(f for f in saved if f["rule"] == rule)
        assert (before["status"], before["message"]) != CHANGED[site, rule]
    for site, rule in REWORDED:
        saved, now = _recheck(SAVED / site)
        before, after = (next(f for f in findings if f["rule"] == rule) for findings in (saved, now))
        assert before["status"] == after["status"]
        assert [before[key] for key in WORDING] != [after[key] for key in WORDING]


def test_an_old_run_whose_policy_step_failed_names_the_failure(tmp_path):
    # Before failures were modelled, a failed step was text in extra["gatherer_errors"] that nothing read, and the
    # policy rules judged an empty search ("no privacy policy could be found"). Read now, it is the reason.
    site = tmp_path / "www.harborlight-outfitters.com"
    shutil.copytree(SAVED / site.name, site)
    data = json.loads((site / "evidence" / "evidence.json").read_text(encoding="utf-8"))
    data["profiles"]["baseline"]["extra"] = {"gatherer_errors": ["gather_policy: IndexError: list index out of range"]}
    (site / "evidence" / "evidence.json").write_text(json.dumps(data), encoding="utf-8")
    _, unbroken = _recheck(SAVED / site.name)
    _, now = _recheck(site)
    changed = {after["rule"] for before, after in zip(unbroken, now, strict=True) if after != before}
    assert changed == {rule for rule, finding in RULES.items() if "baseline.policy" in _required(finding)}
    policy = next(f for f in now if f["rule"] == "ccpa.privacy-policy-updated")
    assert (policy["status"], policy["message"]) == (
        "not_assessable",
        "In the baseline visit, the search for the privacy policy did not finish (an error in the auditor): "
        "IndexError: list index out of range",
    )


def _required(rule) -> list[str]:
    return [str(path) for path in rule.required_evidence()]
