"""The jinja2 environment for HTML reports: autoescaped, templates from ``reports/`` or a user folder."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from auditor.resources import bundled_dir

STATUS_ORDER = ["fail", "review", "not_assessable", "pass", "not_applicable"]
STATUS_LABEL = {
    "pass": "Pass",
    "fail": "Fail",
    "review": "Needs review",
    "not_applicable": "Not applicable",
    "not_assessable": "Not assessable",
}
CROP_WIDTH = 640
CROP_MARGIN = 120


def environment(template_dir: Path | None = None) -> Environment:
    """A jinja2 environment that escapes everything by default (site text is hostile input)."""
    folders = [str(template_dir)] if template_dir else []
    folders.append(str(bundled_dir("reports")))
    env = Environment(
        loader=FileSystemLoader(folders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(STATUS_ORDER=STATUS_ORDER, STATUS_LABEL=STATUS_LABEL)
    env.filters["crop"] = crop_geometry
    return env


def crop_geometry(item: dict) -> dict | None:
    """Pixel geometry to show the part of a screenshot around an element's box, with the box outlined."""
    shot, box = item.get("screenshot"), item.get("box")
    if not shot or not box or box["width"] <= 0 or box["height"] <= 0:
        return None
    left = max(0.0, box["x"] - CROP_MARGIN)
    top = max(0.0, box["y"] - CROP_MARGIN)
    right = min(float(shot["width"]), box["x"] + box["width"] + CROP_MARGIN)
    bottom = min(float(shot["height"]), box["y"] + box["height"] + CROP_MARGIN)
    if right <= left or bottom <= top:
        return None
    scale = min(1.0, CROP_WIDTH / (right - left))
    return {
        "src": shot["path"],
        "frame_w": round((right - left) * scale),
        "frame_h": round((bottom - top) * scale),
        "img_w": round(shot["width"] * scale),
        "img_x": round(-left * scale),
        "img_y": round(-top * scale),
        "box_x": round((box["x"] - left) * scale) - 3,
        "box_y": round((box["y"] - top) * scale) - 3,
        "box_w": round(box["width"] * scale) + 6,
        "box_h": round(box["height"] * scale) + 6,
    }
