"""The jinja2 environment for HTML reports: autoescaped, templates from ``reports/`` or a user folder.

Everything a site can influence (link text, URLs, cookie values, banner text) reaches the templates as data and is
escaped on output; nothing is ever compiled as a template. Filters here format that data; none marks it safe.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

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
STATUS_ICON = {"pass": "✓", "fail": "✗", "review": "?", "not_applicable": "–", "not_assessable": "!"}
SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"]
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
    env.globals.update(
        STATUS_ORDER=STATUS_ORDER, STATUS_LABEL=STATUS_LABEL, STATUS_ICON=STATUS_ICON, SEVERITY_ORDER=SEVERITY_ORDER
    )
    env.filters["crop"] = crop_geometry
    env.filters["cell"] = table_cell
    env.filters["web_url"] = web_url
    return env


def static_text(env: Environment, name: str) -> str:
    """The raw text of a template file (a stylesheet or script shipped beside the templates)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source expression allowing exactly this inline ``<style>`` or ``<script>``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def web_url(value: object) -> str | None:
    """``value`` if it is an http(s) URL, else None: only such URLs become links (never ``javascript:``)."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def table_cell(value: object) -> str:
    """A table cell's value as text: lists joined, objects as compact JSON, booleans as yes/no, null as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(table_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


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
        "img_h": round(shot["height"] * scale),
        "img_x": round(-left * scale),
        "img_y": round(-top * scale),
        "box_x": round((box["x"] - left) * scale) - 3,
        "box_y": round((box["y"] - top) * scale) - 3,
        "box_w": round(box["width"] * scale) + 6,
        "box_h": round(box["height"] * scale) + 6,
    }


def whole_image_geometry(shot: dict, max_width: int = 760, max_height: int = 900) -> dict | None:
    """Geometry to show a whole screenshot scaled to ``max_width``; a taller one shows its top ``max_height``."""
    width, height = shot.get("width") or 0, shot.get("height") or 0
    if width <= 0 or height <= 0:
        return None
    scale = min(1.0, max_width / width)
    return {
        "src": shot["path"],
        "frame_w": round(width * scale),
        "frame_h": min(round(height * scale), max_height),
        "img_w": round(width * scale),
        "img_h": round(height * scale),
        "img_x": 0,
        "img_y": 0,
        "clipped": round(height * scale) > max_height,
    }
