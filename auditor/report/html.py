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

from auditor.findings import SiteReport
from auditor.report.outcomes import outcome_text
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


def _grouped(findings: list[dict]) -> list[dict]:
    """Findings grouped by status (fail first), then by severity (critical first)."""
    groups = []
    for status in STATUS_ORDER:
        in_status = [f for f in findings if f["status"] == status]
        if not in_status:
            continue
        by_severity = []
        for severity in SEVERITY_ORDER:
            items = sorted((f for f in in_status if f["severity"] == severity), key=lambda f: f["rule"])
            if items:
                by_severity.append({"severity": severity, "findings": items})
        groups.append({"status": status, "count": len(in_status), "severities": by_severity})
    return groups


def _other_changes(changes: dict) -> list[dict]:
    """Status changes besides new failures and fixes, grouped by transition (one line each in the report)."""
    named = set(changes.get("new_failures", [])) | set(changes.get("fixed", []))
    groups: dict[tuple, list[str]] = {}
    for change in changes.get("changed", []):
        if change["rule"] not in named:
            groups.setdefault((change["before"], change["after"]), []).append(change["rule"])
    return [{"before": before, "after": after, "rules": rules} for (before, after), rules in groups.items()]


def site_html_context(
    report: SiteReport, site_dir: Path | None = None, self_contained: bool = False, template_dir: Path | None = None
) -> dict:
    """Everything ``site.html.j2`` needs: the report data with drawing hints, the stylesheet and its CSP."""
    env = environment(template_dir)
    data = report.model_dump(mode="json", by_alias=True)
    figures = Figures(site_dir, inline=self_contained)
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
    return {
        "other_changes": _other_changes(changes),
        "report": data,
        "groups": _grouped(data["findings"]),
        "css": css,
        "csp": csp,
        "self_contained": self_contained,
        "new_failures": set(changes.get("new_failures", [])),
        "fixed": set(changes.get("fixed", [])),
    }


def render_site_html(
    report: SiteReport, site_dir: Path | None = None, self_contained: bool = False, template_dir: Path | None = None
) -> str:
    """The site report as one HTML page.

    By default images are relative paths into the site folder (the page sits in that folder beside
    ``evidence/``). With ``self_contained`` every screenshot is read from ``site_dir`` and inlined as a data URL,
    so the page is one file that can be mailed or attached to a ticket.
    """
    context = site_html_context(report, site_dir, self_contained, template_dir)
    return environment(template_dir).get_template("site.html.j2").render(**context)
