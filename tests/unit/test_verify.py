"""Tamper-evident runs: ``verify`` detects every kind of edit, re-judges the evidence, and checks the signature.

A run is made without a browser, through the same code an audit uses after its visits (``report_site`` saves the
evidence and writes report.json, ``finish_run`` decides the gate, writes every format and the manifests), for two
sites with hand-made evidence, the built-in packs and a team's own pack passed as ``--rules`` would pass it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat

import pytest
from rich.console import Console

from auditor.commands.check import CheckRequest, run_check
from auditor.commands.report import rerender_run
from auditor.config import GateConfig
from auditor.engine import default_context
from auditor.errors import UserError
from auditor.evidence import (
    BrowserInfo,
    Link,
    PageCapture,
    ProfileCapture,
    RequestRecord,
    ScreenshotArtifact,
    SiteEvidence,
    SiteInfo,
    ToolInfo,
    Vantage,
)
from auditor.finish import GateSettings, finish_run
from auditor.judging import report_site
from auditor.manifest import read_json, sha256_file
from auditor.options import Judging
from auditor.rulepacks import builtin_pack_paths, load_packs, resolve_rules
from auditor.signing import generate_key_pair, sign_manifest
from auditor.verify import verification_lines, verify_run

MOMENT = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
AUDIT_DATE = dt.date(2026, 6, 1)
SITES = ("www.alpha-goods.com", "www.beta-goods.com")
FORMATS = ["json", "html", "md", "sarif", "junit", "codequality"]
TEAM_PACK = """\
pack: acme
version: "2026.1"
description: The team's own rule.
rules:
  - id: acme.privacy-link
    title: The homepage links to the privacy policy
    severity: high
    jurisdictions: [ca]
    citations: [{text: "ACME policy 1"}]
    check: privacy_policy_link
    requires: [baseline.homepage.links]
    params:
      phrases: [privacy policy, privacy notice]
      exclusions: [privacy choices, do not sell]
      href_words: [privacy]
"""


def evidence(site_id: str, dns_text: str) -> SiteEvidence:
    page = PageCapture(
        requested_url=f"https://{site_id}/",
        final_url=f"https://{site_id}/",
        status=200,
        title=site_id,
        links=[Link(tag="a", text=dns_text, href=f"https://{site_id}/dns", visible=True, in_footer=True)],
        requests=[
            RequestRecord(
                url="https://ib.adnxs.com/p", third_party=True, registrable_domain="adnxs.com", host="ib.adnxs.com"
            )
        ],
        full_screenshot=ScreenshotArtifact(path="evidence/baseline/full.png", width=10, height=10),
    )
    return SiteEvidence(
        site=SiteInfo(url=f"https://{site_id}/", host=site_id, site_id=site_id, final_url=f"https://{site_id}/"),
        tool=ToolInfo(version="0.1.0"),
        browser=BrowserInfo(version="156"),
        vantage=Vantage(),
        started_at=MOMENT,
        finished_at=MOMENT,
        profiles={
            "baseline": ProfileCapture(
                profile="baseline", gpc=False, started_at=MOMENT, finished_at=MOMENT, homepage=page
            )
        },
    )


def make_run(tmp_path, sign_key=None):
    """A finished run of two sites in ``tmp_path/out``; returns the folder and the pack files it was judged with."""
    team = tmp_path / "team" / "acme.yaml"
    team.parent.mkdir(parents=True, exist_ok=True)
    team.write_text(TEAM_PACK, encoding="utf-8")
    pack_files = [*builtin_pack_paths(), team]
    packs = load_packs(pack_files)
    out = tmp_path / "out"
    judging = Judging(
        rules=resolve_rules(packs, {"ca"}),
        rule_packs={p.pack: p.version for p in packs},
        context=default_context(AUDIT_DATE),
    )
    sites = []
    for site_id, text in zip(SITES, ("Do Not Sell My Personal Information", "Your Privacy Choices"), strict=True):
        site_dir = out / site_id
        (site_dir / "evidence" / "baseline").mkdir(parents=True)
        (site_dir / "evidence" / "baseline" / "full.png").write_bytes(b"\x89PNG " + site_id.encode())
        sites.append((report_site(evidence(site_id, text), site_dir, judging, ["json"]), site_dir))
    settings = GateSettings(
        config=GateConfig.model_validate(
            {"waivers": [{"rule": "ccpa.gpc-honored", "reason": "WEB-9", "expires": "2099-01-01"}]}
        ),
        baseline=None,
        runs=1,
        aggregation="pessimistic",
        history=None,
        today=AUDIT_DATE,
        sign_key=sign_key,
    )
    finish_run(sites, out, FORMATS, settings, pack_files=pack_files)
    return out


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return make_run(tmp_path_factory.mktemp("verify"))


@pytest.fixture
def run(pristine, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(pristine, copy)
    return copy


def problems(run, public_key=None) -> list[tuple[str, str, str]]:
    return [(p.kind, p.where, p.detail) for p in verify_run(run, public_key).problems]


def kinds(run, public_key=None) -> set[tuple[str, str]]:
    return {(kind, where) for kind, where, _ in problems(run, public_key)}


def rehash_manifests(run, site: str) -> None:
    """What someone covering their tracks does: every hash in the site and run manifests made to match again."""
    site_manifest = run / site / "evidence" / "manifest.json"
    data = json.loads(site_manifest.read_text(encoding="utf-8"))
    for entry in data["artifacts"]:
        entry["sha256"] = sha256_file(run / site / entry["path"])
    site_manifest.write_text(json.dumps(data), encoding="utf-8")
    top = run / "manifest.json"
    data = json.loads(top.read_text(encoding="utf-8"))
    for entry in data["sites"]:
        entry["sha256"] = sha256_file(run / entry["manifest"])
    for entry in data["files"]:
        entry["sha256"] = sha256_file(run / entry["path"])
    top.write_text(json.dumps(data), encoding="utf-8")


def test_an_untouched_run_verifies_and_records_what_it_was_judged_with(run):
    result = verify_run(run)
    assert result.ok, verification_lines(result)
    assert set(result.sites) == set(SITES)
    site = read_json(run / SITES[0] / "evidence" / "manifest.json")
    listed = {a["path"] for a in site["artifacts"]}
    assert {"report.json", "report.html", "report.md", "report.sarif", "report.junit.xml"} <= listed
    assert {"report.codequality.json", "evidence/evidence.json", "evidence/baseline/full.png"} <= listed
    packs = {p["pack"]: p for p in site["judged"]["packs"]}
    assert set(packs) >= {"ccpa", "us-uoom", "acme"} and site["judged"]["audit_date"] == "2026-06-01"
    assert packs["acme"]["file"].startswith("../rules/acme-") and (run / SITES[0] / packs["acme"]["file"]).is_file()
    top = read_json(run / "manifest.json")
    assert [s["site_id"] for s in top["sites"]] == list(SITES)
    assert {"gate.json", "summary.md", "report.sarif", "index.html"} <= {f["path"] for f in top["files"]}
    assert "acme.privacy-link" in site["judged"]["rules"]


def test_an_edited_evidence_file_is_named(run):
    path = run / SITES[0] / "evidence" / "evidence.json"
    path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert ("changed", SITES[0], "evidence/evidence.json") in problems(run)


def test_a_report_json_status_edit_is_named_by_hash_and_by_re_judging(run):
    path = run / SITES[0] / "report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    failing = next(f for f in report["findings"] if f["status"] == "fail")
    failing["status"] = "pass"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    found = problems(run)
    assert ("changed", SITES[0], "report.json") in found
    assert any(
        k == "differs" and f"{failing['rule']}: the report says pass, its evidence gives fail" in d for k, _, d in found
    )


def test_an_edited_html_report_a_deleted_screenshot_and_added_files_are_named(run):
    (run / SITES[1] / "report.html").write_text("<p>All compliant.</p>", encoding="utf-8")
    (run / SITES[0] / "evidence" / "baseline" / "full.png").unlink()
    (run / SITES[0] / "evidence" / "planted.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (run / "extra.txt").write_text("added", encoding="utf-8")
    found = problems(run)
    assert ("changed", SITES[1], "report.html") in found
    assert ("missing", SITES[0], "evidence/baseline/full.png") in found
    assert ("unlisted", SITES[0], "evidence/planted.html") in found
    assert ("unlisted", "run", "extra.txt") in found


def test_a_swapped_site_folder_is_named(run):
    shutil.rmtree(run / SITES[1])
    shutil.copytree(run / SITES[0], run / SITES[1])  # site A's folder content under site B's name
    found = kinds(run)
    assert ("changed", "run") in found and ("swapped", SITES[1]) in found
    details = " ".join(d for _, w, d in problems(run) if w == SITES[1])
    assert f"the folder is {SITES[1]}, but its report.json is about {SITES[0]}" in details


def test_a_manifest_edited_to_match_an_edited_report_is_still_caught(run):
    path = run / SITES[0] / "report.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    next(f for f in report["findings"] if f["status"] == "fail")["status"] = "pass"
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    (run / SITES[1] / "report.html").write_text("<p>All compliant.</p>", encoding="utf-8")
    rehash_manifests(run, SITES[0])
    rehash_manifests(run, SITES[1])
    found = problems(run)
    assert not [p for p in found if p[0] in ("changed", "missing", "unlisted")], found  # the hashes now agree ...
    assert any(k == "differs" and w == SITES[0] and "its evidence gives fail" in d for k, w, d in found)  # ... but
    assert ("differs", SITES[1], "report.html does not follow from report.json") in found


def test_packs_that_cannot_be_had_fail_and_say_so(run):
    for copy in (run / "rules").glob("acme-*.yaml"):
        copy.unlink()
    top = run / "manifest.json"
    data = json.loads(top.read_text(encoding="utf-8"))
    data["files"] = [f for f in data["files"] if not f["path"].startswith("rules/acme-")]
    top.write_text(json.dumps(data), encoding="utf-8")
    rehash_manifests(run, SITES[0])
    found = problems(run)
    assert {(k, w) for k, w, _ in found} == {("packs", SITES[0]), ("packs", SITES[1])}
    assert "rule pack 'acme' 2026.1" in found[0][2] and "cannot be had" in found[0][2]


def test_signature_forged_missing_and_checked(tmp_path):
    private, public = generate_key_pair(tmp_path / "keys")
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    with pytest.raises(UserError, match="already exists"):
        generate_key_pair(tmp_path / "keys")
    run = make_run(tmp_path, sign_key=private)
    assert (run / "manifest.json.sig").is_file()
    result = verify_run(run, public)
    assert result.ok and result.signature == "verified", verification_lines(result)

    _, other_public = generate_key_pair(tmp_path / "other")
    assert ("signature", "run") in kinds(run, other_public)  # signed by someone else
    other_private = tmp_path / "other" / "auditor-signing.key"
    sign_manifest(run / "manifest.json", other_private)  # a forged signature
    assert ("signature", "run") in kinds(run, public)
    (run / "manifest.json.sig").unlink()
    found = problems(run, public)
    assert found == [("signature", "run", "no signature (manifest.json.sig is missing)")]


def test_a_signed_manifest_rewritten_to_cover_an_edit_fails_the_signature(tmp_path):
    private, public = generate_key_pair(tmp_path / "keys")
    run = make_run(tmp_path, sign_key=private)
    (run / SITES[1] / "report.md").write_text("All good.\n", encoding="utf-8")
    rehash_manifests(run, SITES[1])
    assert ("signature", "run") in kinds(run, public)


def test_re_rendering_and_re_checking_update_the_manifests(run, tmp_path):
    console = Console(file=open(os.devnull, "w"))  # noqa: SIM115 - closed with the test process
    assert rerender_run(run, "html,md,sarif,junit,codequality", True, None, console) == 0
    assert verify_run(run).ok, verification_lines(verify_run(run))
    team = tmp_path / "team-rules"
    team.mkdir()
    (team / "acme.yaml").write_text(TEAM_PACK.replace("severity: high", "severity: low"), encoding="utf-8")
    run_check(CheckRequest(run_dir=run, rule_paths=[team], jurisdictions="ca", quiet=True), console)
    assert sorted(p.name for p in (run / SITES[0]).glob("report.*.json"))[0].startswith("report.2")  # the old one
    result = verify_run(run)
    assert result.ok, verification_lines(result)
    site = read_json(run / SITES[0] / "evidence" / "manifest.json")
    acme = next(p for p in site["judged"]["packs"] if p["pack"] == "acme")
    assert acme["sha256"] == sha256_file(team / "acme.yaml")


def test_re_rendering_a_signed_run_removes_the_stale_signature_unless_signed_again(tmp_path):
    private, public = generate_key_pair(tmp_path / "keys")
    run = make_run(tmp_path, sign_key=private)
    lines = []
    console = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    console.print = lambda text, **_: lines.append(str(text))  # type: ignore[method-assign]
    rerender_run(run, "html,md", False, None, console)
    assert not (run / "manifest.json.sig").exists()
    assert any("signature cannot cover the files just rewritten" in line for line in lines)
    assert problems(run, public) == [("signature", "run", "no signature (manifest.json.sig is missing)")]
    rerender_run(run, "html,md", False, None, console, sign_key=private)
    assert verify_run(run, public).ok


def test_each_run_of_runs_n_is_judged_again(tmp_path):
    """--runs 2: the combined report and each run's own report must follow from their evidence."""
    from auditor.aggregation import aggregate_runs, rebase_evidence

    run = make_run(tmp_path)
    site_dir = run / SITES[0]
    second = site_dir / "runs" / "2"
    shutil.copytree(site_dir / "evidence", second / "evidence")
    shutil.copy(site_dir / "report.json", second / "report.json")
    from auditor.findings import SiteReport

    first = SiteReport.model_validate_json((site_dir / "report.json").read_text(encoding="utf-8"))
    first = first.model_copy(update={"findings": [f.model_copy(update={"gate": None}) for f in first.findings]})
    combined = aggregate_runs([first, rebase_evidence(first, "runs/2/")], "pessimistic", ["runs/2"])
    settings = GateSettings(GateConfig(), None, 2, "pessimistic", None, AUDIT_DATE)
    finish_run(
        [
            (combined, site_dir),
            (SiteReport.model_validate_json((run / SITES[1] / "report.json").read_text()), run / SITES[1]),
        ],
        run,
        FORMATS,
        settings,
    )
    assert verify_run(run).ok, verification_lines(verify_run(run))
    saved = json.loads((second / "report.json").read_text(encoding="utf-8"))
    next(f for f in saved["findings"] if f["status"] == "fail")["status"] = "pass"
    (second / "report.json").write_text(json.dumps(saved), encoding="utf-8")
    rehash_manifests(run, SITES[0])
    assert any(k == "differs" and d.startswith("runs/2/report.json:") for k, _, d in problems(run))


def test_a_folder_without_manifests_is_a_usage_error(tmp_path):
    with pytest.raises(UserError, match="no evidence/manifest.json or manifest.json"):
        verify_run(tmp_path)


def test_unusable_keys_are_one_line_errors(tmp_path):
    from auditor.signing import check_signing_key, load_public_key

    private, public = generate_key_pair(tmp_path / "keys")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a key\n", encoding="utf-8")
    for call, path, message in (
        (check_signing_key, junk, "--sign-key .*: not a PEM private key"),
        (check_signing_key, public, "--sign-key .*: not a PEM private key"),
        (check_signing_key, tmp_path / "missing.key", "--sign-key .*: No such file"),
        (load_public_key, private, "--public-key .*: not a PEM public key"),
    ):
        with pytest.raises(UserError, match=message) as caught:
            call(path)
        assert "\n" not in str(caught.value)


def test_re_rendering_a_folder_that_no_longer_matches_says_so(run):
    (run / SITES[0] / "evidence" / "evidence.json").write_text("{}", encoding="utf-8")
    lines = []
    console = Console(file=open(os.devnull, "w"))  # noqa: SIM115
    console.print = lambda text, **_: lines.append(str(text))  # type: ignore[method-assign]
    rerender_run(run, "html", False, None, console)
    assert any(line.startswith(f"warning: {SITES[0]}: the folder does not match its manifest") for line in lines)
    assert not any(SITES[1] in line and line.startswith("warning") for line in lines)


def test_a_run_written_by_workers_and_collected_records_a_team_pack_and_verifies(tmp_path):
    """Workers judge with the pack files in their Judging and seal each site as it is written; ``collect`` then
    finishes the run without pack files, so the manifests must already hold the team's pack."""
    team = tmp_path / "team" / "acme.yaml"
    team.parent.mkdir(parents=True)
    team.write_text(TEAM_PACK, encoding="utf-8")
    pack_files = [*builtin_pack_paths(), team]
    packs = load_packs(pack_files)
    judging = Judging(
        rules=resolve_rules(packs, {"ca"}),
        rule_packs={p.pack: p.version for p in packs},
        context=default_context(AUDIT_DATE),
        pack_files=tuple(pack_files),
    )
    out = tmp_path / "out"
    sites = []
    for site_id in SITES:
        site_dir = out / site_id
        site_dir.mkdir(parents=True)
        sites.append((report_site(evidence(site_id, "Your Privacy Choices"), site_dir, judging, ["json"]), site_dir))
    settings = GateSettings(
        config=GateConfig(), baseline=None, runs=1, aggregation="pessimistic", history=None, today=AUDIT_DATE
    )
    finish_run(sites, out, ["json"], settings)  # what `auditor collect` does: no pack files
    manifest = json.loads((out / SITES[0] / "evidence" / "manifest.json").read_text(encoding="utf-8"))
    acme = {p["pack"]: p for p in manifest["judged"]["packs"]}["acme"]
    assert acme["sha256"] == sha256_file(team)
    assert problems(out) == []
