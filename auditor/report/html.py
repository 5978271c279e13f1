"""The per-site HTML report, rendered from report JSON alone.

Nothing from the audited site runs in a report. Templates autoescape every value; the page's
Content-Security-Policy allows no script at all, allows styles only by the SHA-256 of our own ``<style>``
element (so no style attribute or injected stylesheet applies), and images only from the report's own folder or,
in a self-contained report, as data URLs of our own screenshots. Screenshot geometry (the crop around an element,
the outline of its box) is therefore written as CSS rules in that one hashed stylesheet, not as style attributes.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from jinja2 import Environment

from auditor.findings import SiteReport
from auditor.report.grouping import group_of, rule_groups
from auditor.report.outcomes import OUTCOME_LABEL, OUTCOME_ORDER, outcome_text
from auditor.report.templating import (
    SEVERITY_ORDER,
    STATUS_ORDER,
    crop_geometry,
    csp_hash,
    environment,
    static_text,
    whole_image_geometry,
)

# An artifact path we wrote: relative, inside the site folder, an image. Anything else is not drawn.
_ARTIFACT_PATH = re.compile(r"^(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*\.(png|jpe?g|webp|gif)$")
_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}
MAX_TABLE_ROWS = 200


def safe_artifact_path(path: object) -> str | None:
    """``path`` if it is a relative image path inside the site folder, else None."""
    if isinstance(path, str) and _ARTIFACT_PATH.match(path):
        return path
    return None


class Figures:
    """Image URLs for evidence screenshots and the CSS rules that draw them (crop, outline)."""

    def __init__(self, site_dir: Path | None, inline: bool) -> None:
        self.site_dir = site_dir
        self.inline = inline
        self.rules: list[str] = []
        self._classes: dict[str, str] = {}
        self._count = 0

    def image_url(self, path: str) -> str | None:
        """A URL for one of our screenshots: the relative path, or a data URL when inlining."""
        safe = safe_artifact_path(path)
        if safe is None:
            return None
        if not self.inline:
            return safe
        if self.site_dir is None:
            return None
        root = self.site_dir.resolve()
        file = (root / safe).resolve()
        if root not in file.parents or not file.is_file():
            return None
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        return f"data:{_MIME[safe.rsplit('.', 1)[1].lower()]};base64,{data}"

    def _image_class(self, path: str) -> str | None:
        if path not in self._classes:
            url = self.image_url(path)
            if url is None:
                return None
            name = f"img-{len(self._classes) + 1}"
            self.rules.append(f'.{name}{{background-image:url("{url}")}}')
            self._classes[path] = name
        return self._classes[path]

    def figure(self, geometry: dict | None) -> dict | None:
        """Register a figure for the geometry; the template draws ``<div id=… class="crop">``."""
        if geometry is None:
            return None
        image_class = self._image_class(geometry["src"])
        if image_class is None:
            return None
        self._count += 1
        fid = f"fig-{self._count}"
        g = geometry
        self.rules.append(f"#{fid}{{width:{g['frame_w']}px;height:{g['frame_h']}px}}")
        self.rules.append(
            f"#{fid}>.shot{{width:{g['img_w']}px;height:{g['img_h']}px;left:{g['img_x']}px;top:{g['img_y']}px}}"
        )
        has_box = "box_x" in g
        if has_box:
            self.rules.append(
                f"#{fid}>.box{{left:{g['box_x']}px;top:{g['box_y']}px;width:{g['box_w']}px;height:{g['box_h']}px}}"
            )
        return {"id": fid, "image_class": image_class, "box": has_box, "clipped": g.get("clipped", False)}

    def css(self) -> str:
        return "\n".join(self.rules)


def _decorate_item(item: dict, figures: Figures) -> None:
    """Add the drawing hints (``_fig``, ``_full``, ``_diff``, ``_rows``) the evidence macro reads."""
    shot = item.get("screenshot") if isinstance(item.get("screenshot"), dict) else None
    geometry = None
    if item.get("kind") == "element":
        geometry = crop_geometry(item)
    elif item.get("kind") == "image" and shot:
        geometry = crop_geometry(item) if item.get("box") else whole_image_geometry(shot)
    item["_fig"] = figures.figure(geometry)
    item["_full"] = safe_artifact_path(shot.get("path")) if shot and not figures.inline else None
    rows = item.get("rows") if item.get("kind") == "table" else None
    item["_rows"] = rows[:MAX_TABLE_ROWS] if isinstance(rows, list) else []
    item["_hidden_rows"] = max(0, len(rows) - MAX_TABLE_ROWS) if isinstance(rows, list) else 0
    item["_diff"] = _differing_rows(item) if rows else []


def _differing_rows(item: dict) -> list[int]:
    """Rows of a before/after table whose two values differ, so the report can mark them."""
    columns = [str(c).strip().lower() for c in item.get("columns", [])]
    pairs = [("before", "after"), ("without gpc", "with gpc"), ("baseline", "gpc")]
    for left, right in pairs:
        if left in columns and right in columns:
            i, j = columns.index(left), columns.index(right)
            return [n for n, row in enumerate(item["rows"]) if len(row) > max(i, j) and row[i] != row[j]]
    return []


OPEN_STATUSES = ("fail", "review", "not_assessable")  # sections a reader must see start expanded
CONTENTS_LABEL = {
    "fail": "failing",
    "review": "need review",
    "not_assessable": "not assessable",
    "pass": "passing",
    "not_applicable": "not applicable",
}


def _gate_tally(findings: list[dict]) -> str:
    """Members' gate decisions counted: "9 blocking, 2 not gated" (empty when the gate did not decide)."""
    outcomes = [f["gate"]["outcome"] for f in findings if f.get("gate")]
    return ", ".join(f"{outcomes.count(o)} {OUTCOME_LABEL[o]}" for o in OUTCOME_ORDER if o in outcomes)


def _common_observation(members: list[dict]) -> dict | None:
    """The message and evidence when every member has the same ones, else None."""
    first = members[0]
    same = all(m["message"] == first["message"] and m["evidence"] == first["evidence"] for m in members[1:])
    return {"message": first["message"], "evidence": first["evidence"]} if same else None


def _items(findings: list[dict]) -> list[dict]:
    """The report's rows: a finding, or one row for the per-state variants of a rule (see :mod:`grouping`)."""
    groups = rule_groups(findings)
    items: list[dict] = []
    placed: set[str] = set()
    for finding in findings:
        group = group_of(groups, finding)
        if group is None:
            items.append(
                {"kind": "finding", "status": finding["status"], "severity": finding["severity"], "f": finding}
            )
        elif group.name not in placed:
            placed.add(group.name)
            items.append(
                {
                    "kind": "group",
                    "status": group.status,
                    "severity": group.severity,
                    "anchor": group.anchor,
                    "title": group.title,
                    "tally": group.tally(),
                    "gate_tally": _gate_tally(group.members),
                    "states": [{"state": s, "f": f} for s, f in zip(group.states, group.members, strict=True)],
                    # Per-state variants often observe the very same thing: then it is shown once, above the states.
                    "common": _common_observation(group.members),
                    "rules": [f["rule"] for f in group.members],
                }
            )
    return items


def _grouped(findings: list[dict]) -> list[dict]:
    """Rows grouped by status (fail first), then by severity (critical first); a group of per-state variants is
    one row, under its worst member's status and highest severity."""
    items = _items(findings)
    groups = []
    for status in STATUS_ORDER:
        in_status = [i for i in items if i["status"] == status]
        if not in_status:
            continue
        by_severity = []
        for severity in SEVERITY_ORDER:
            rows = sorted(
                (i for i in in_status if i["severity"] == severity),
                key=lambda i: i["anchor"] if i["kind"] == "group" else i["f"]["rule"],
            )
            if rows:
                by_severity.append({"severity": severity, "rows": rows})
        groups.append({"status": status, "count": len(in_status), "severities": by_severity})
    return groups


def _contents(counts: dict[str, int], groups: list[dict]) -> list[dict]:
    """The contents bar: each status's count of findings and where they are. A status whose findings all sit in a
    group of per-state variants under another status links to that group."""
    entries = []
    for status in STATUS_ORDER:
        count = counts.get(status, 0)
        if not count and status not in ("fail", "review", "pass"):
            continue
        href = None
        if any(g["status"] == status for g in groups):
            href = f"#status-{status}"
        elif count:
            rows = (row for g in groups for s in g["severities"] for row in s["rows"] if row["kind"] == "group")
            href = next(
                (f"#{row['anchor']}" for row in rows if any(m["f"]["status"] == status for m in row["states"])), None
            )
        entries.append({"status": status, "count": count, "label": CONTENTS_LABEL[status], "href": href})
    return entries


def _other_changes(changes: dict) -> list[dict]:
    """Status changes besides new failures and fixes, grouped by transition (one line each in the report)."""
    named = set(changes.get("new_failures", [])) | set(changes.get("fixed", []))
    groups: dict[tuple, list[str]] = {}
    for change in changes.get("changed", []):
        if change["rule"] not in named:
            groups.setdefault((change["before"], change["after"]), []).append(change["rule"])
    return [{"before": before, "after": after, "rules": rules} for (before, after), rules in groups.items()]


def _site_context(report: SiteReport, env: Environment, figures: Figures, expand_all: bool) -> dict:
    """Everything ``site.html.j2`` needs: the report data with drawing hints, the stylesheet and its CSP.

    Findings are collapsible (``<details>``): failing, review and not-assessable ones start open, the rest closed;
    ``expand_all`` opens every one (a printed PDF cannot be clicked).
    """
    self_contained = figures.inline
    data = report.model_dump(mode="json", by_alias=True)
    for finding, model in zip(data["findings"], report.findings, strict=True):
        finding["_gate_text"] = outcome_text(model)  # the gate's decision, worded as every format words it
        for item in finding["evidence"]:
            _decorate_item(item, figures)
    css = static_text(env, "style.css") + "\n" + figures.css()
    img_src = "data:" if self_contained else "'self' file:"
    csp = (
        f"default-src 'none'; img-src {img_src}; style-src {csp_hash(css)}; "
        "base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'"
    )
    changes = data.get("changes") or {}
    groups = _grouped(data["findings"])
    return {
        "other_changes": _other_changes(changes),
        "report": data,
        "groups": groups,
        "contents": _contents(data["summary"]["counts"], groups),
        "css": css,
        "csp": csp,
        "self_contained": self_contained,
        "new_failures": set(changes.get("new_failures", [])),
        "fixed": set(changes.get("fixed", [])),
        "open_statuses": ("pass", "not_applicable", *OPEN_STATUSES) if expand_all else OPEN_STATUSES,
        "expand_all": expand_all,
    }


def render_site_html(
    report: SiteReport,
    site_dir: Path | None = None,
    self_contained: bool = False,
    template_dir: Path | None = None,
    expand_all: bool = False,
) -> str:
    """The site report as one HTML page.

    By default images are relative paths into the site folder (the page sits in that folder beside
    ``evidence/``). With ``self_contained`` every screenshot is read from ``site_dir`` and inlined as a data URL,
    so the page is one file that can be mailed or attached to a ticket. ``expand_all`` opens every finding (for PDF).
    """
    env = environment(template_dir)
    context = _site_context(report, env, Figures(site_dir, inline=self_contained), expand_all)
    return env.get_template("site.html.j2").render(**context)
