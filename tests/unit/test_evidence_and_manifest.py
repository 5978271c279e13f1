"""Evidence round-trips through JSON unchanged; the manifest detects changed, missing and extra files."""

from __future__ import annotations

import datetime as dt

from auditor.evidence import (
    Box,
    BrowserInfo,
    CookieRecord,
    Link,
    PageCapture,
    ProfileCapture,
    RequestRecord,
    SiteEvidence,
    SiteInfo,
    ToolInfo,
    Vantage,
)
from auditor.manifest import verify_manifest, write_manifest


def sample_evidence() -> SiteEvidence:
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    page = PageCapture(
        requested_url="https://www.example.com/",
        final_url="https://www.example.com/",
        status=200,
        title="Ex",
        links=[
            Link(
                tag="a",
                text="Do Not Sell or Share My Personal Information",
                href="/dns",
                visible=True,
                box=Box(x=1, y=2, width=3, height=4),
                in_footer=True,
            )
        ],
        cookies=[CookieRecord(name="usprivacy", value="1YNN", domain=".example.com", expires=1.9e9)],
        requests=[RequestRecord(url="https://ib.adnxs.com/p", third_party=True, registrable_domain="adnxs.com")],
    )
    return SiteEvidence(
        site=SiteInfo(url="https://www.example.com/", host="www.example.com", site_id="www.example.com"),
        tool=ToolInfo(version="0.1.0"),
        browser=BrowserInfo(version="156"),
        vantage=Vantage(),
        started_at=now,
        finished_at=now,
        profiles={
            "baseline": ProfileCapture(profile="baseline", gpc=False, started_at=now, finished_at=now, homepage=page)
        },
    )


def test_evidence_round_trips_through_json(tmp_path):
    evidence = sample_evidence()
    path = tmp_path / "evidence.json"
    evidence.save(path)
    assert SiteEvidence.load(path) == evidence
    assert '"schema": "auditor.evidence/1"' in path.read_text()


def test_manifest_hashes_every_artifact_and_detects_tampering(tmp_path):
    evidence_dir = tmp_path / "evidence"
    sample_evidence().save(evidence_dir / "evidence.json")
    (evidence_dir / "baseline").mkdir()
    (evidence_dir / "baseline" / "full.png").write_bytes(b"\x89PNG fake")
    write_manifest(evidence_dir, metadata={"tool": {"name": "auditor", "version": "0.1.0"}})
    assert verify_manifest(evidence_dir).ok

    (evidence_dir / "baseline" / "full.png").write_bytes(b"\x89PNG changed")
    (evidence_dir / "evidence.json").unlink()
    (evidence_dir / "extra.txt").write_text("planted")
    result = verify_manifest(evidence_dir)
    assert result.changed == ["evidence/baseline/full.png"]  # paths are relative to the site folder
    assert result.missing == ["evidence/evidence.json"]
    assert result.unlisted == ["evidence/extra.txt"]
    assert not result.ok
