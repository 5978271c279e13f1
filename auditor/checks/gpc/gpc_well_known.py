"""``gpc_well_known``: ``/.well-known/gpc.json`` is served as JSON with ``"gpc": true`` (a declaration, not proof)."""

from __future__ import annotations

import json
import re

from auditor.checks.registry import CheckContext, NoParams, Outcome, check
from auditor.evidence import SiteEvidence
from auditor.evidence.signals import WellKnownGpc
from auditor.findings import Status, TableEvidence

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$")


@check("gpc_well_known", requires=["baseline.signals.well_known"])
def gpc_well_known(evidence: SiteEvidence, params: NoParams, context: CheckContext) -> Outcome:
    """``/.well-known/gpc.json`` is served as JSON with ``"gpc": true`` (a declaration, not proof)."""
    signals = evidence.profiles["baseline"].signals
    assert signals is not None  # required
    record = signals.well_known
    if record is None:  # its reader failed inside the signals step (see signals.errors)
        return Outcome(Status.NOT_ASSESSABLE, "/.well-known/gpc.json was not fetched in this audit.")
    note = " The file is the site's declaration, not proof: whether GPC is honored is judged by ccpa.gpc-honored."
    shown = [TableEvidence(label="GET /.well-known/gpc.json", columns=["field", "value"], rows=_fetch_rows(record))]
    if record.error or record.status is None:
        return Outcome(
            Status.NOT_ASSESSABLE, f"{record.url} could not be fetched: {record.error or 'no response'}.", shown
        )
    if record.status >= 500:
        return Outcome(Status.NOT_ASSESSABLE, f"{record.url} answered HTTP {record.status} (a server error).", shown)
    kind = record.content_type.split(";")[0].strip().lower()
    if record.status >= 400:
        return Outcome(
            Status.NOT_APPLICABLE,
            f"The site serves no /.well-known/gpc.json (HTTP {record.status}): it makes no GPC declaration. "
            "The file is optional." + note,
            shown,
        )
    try:
        data = json.loads(record.body)
    except ValueError:
        data = None
    if data is None and kind in ("text/html", "application/xhtml+xml"):
        return Outcome(
            Status.NOT_APPLICABLE,
            f"{record.url} answered with an HTML page (HTTP {record.status}, probably a catch-all route), not the "
            "JSON declaration: the site makes no GPC declaration." + note,
            shown,
        )
    if not isinstance(data, dict):
        return Outcome(
            Status.FAIL,
            f"{record.url} is served but is not a JSON object (Content-Type {record.content_type or 'none'}): "
            "the GPC specification requires a JSON object." + note,
            shown,
        )
    problems = []
    if kind != "application/json":
        problems.append(f"it is served as {record.content_type or 'no Content-Type'}, not application/json")
    gpc = data.get("gpc")
    last = data.get("lastUpdate")
    if last is not None and not (isinstance(last, str) and _RFC3339.match(last)):
        problems.append(f"lastUpdate {last!r} is not an RFC 3339 date")
    declared = f'"gpc": {json.dumps(gpc)}' + (f', "lastUpdate": {json.dumps(last)}' if last is not None else "")
    if gpc is True and not [p for p in problems if "application/json" in p]:
        extra = f" ({'; '.join(problems)})" if problems else ""
        return Outcome(Status.PASS, f"{record.url} declares {declared}{extra}." + note, shown)
    if gpc is False:
        problems.insert(0, '"gpc": false declares that the site does not intend to honor GPC')
    elif gpc is not True:
        problems.insert(0, f'"gpc" must be true or false, not {json.dumps(gpc)}')
    return Outcome(Status.FAIL, f"{record.url} declares {declared}, but " + "; ".join(problems) + "." + note, shown)


def _fetch_rows(record: WellKnownGpc) -> list[list[str]]:
    rows = [["URL", record.url]]
    if record.final_url and record.final_url != record.url:
        rows.append(["redirected to", record.final_url])
    rows += [
        ["status", str(record.status) if record.status is not None else "—"],
        ["Content-Type", record.content_type or "—"],
        ["body", record.body[:500] or "—"],
    ]
    if record.error:
        rows.append(["error", record.error])
    return rows
