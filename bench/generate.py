"""Generate N realistic fixture sites: CMP-like banners (some late), ad/analytics tags, opt-out links, policies.

Deterministic for a given N and seed. Each site is a folder named after its host, as
:class:`auditor.demo.server.HostFolderServer` serves them.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "harbor",
    "canyon",
    "redwood",
    "mesa",
    "sierra",
    "coast",
    "valley",
    "summit",
    "delta",
    "orchard",
    "pier",
    "grove",
    "ridge",
    "bay",
    "dune",
    "lagoon",
    "meadow",
    "cove",
    "bluff",
    "prairie",
]
KINDS = ["news", "shop", "recipes", "travel", "games", "sports", "homes", "autos", "health", "finance"]
TAGS = [
    '<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>',
    '<script async src="https://connect.facebook.net/en_US/fbevents.js"></script>',
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-BENCH"></script>',
    '<img src="https://bat.bing.com/action/0?ti=1&Ver=2" width="1" height="1" alt="">',
    '<script async src="https://static.criteo.net/js/ld/publishertag.js"></script>',
]
# A consent banner in the style of the common CMPs: Accept / Reject / Settings, stores a consent cookie.
BANNER = """
<div id="consent-banner" role="dialog" aria-label="Cookie consent" style="position:fixed;bottom:0;left:0;right:0;
 background:#fff;border-top:2px solid #333;padding:16px;font:14px sans-serif;z-index:1000">
 <p>We and our partners use cookies to personalise ads and measure traffic. California residents may opt out of the
 sale or sharing of personal information.</p>
 <button id="accept-all" onclick="decide(1)">Accept All</button>
 <button id="reject-all" onclick="decide(0)">Reject All</button>
 <a href="/privacy-choices.html">Cookie Settings</a>
</div>"""
BANNER_SCRIPT = """
<script>
function decide(ok) {
  document.cookie = 'bench_consent=' + (ok ? 'all' : 'necessary') + '; path=/; max-age=31536000';
  document.cookie = 'usprivacy=1Y' + (ok ? 'N' : 'Y') + 'N; path=/; max-age=31536000';
  var b = document.getElementById('consent-banner'); if (b) b.remove();
}
window.__uspapi = function (cmd, v, cb) { var m = document.cookie.match(/usprivacy=([^;]+)/);
  cb({version: 1, uspString: m ? m[1] : '1YNN'}, true); };
</script>"""
LATE_BANNER = """
<template id="late-banner">{banner}</template>
<script>setTimeout(function () {{
  document.body.appendChild(document.getElementById('late-banner').content.cloneNode(true)); }}, {delay});</script>"""


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>\n"
    )


def generate(root: Path, count: int, seed: int = 7) -> list[str]:
    """Write ``count`` sites under ``root``; return their homepage URLs."""
    rng = random.Random(seed)
    urls = []
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        host = f"www.{WORDS[index % len(WORDS)]}-{kind}-{index:04d}.com"
        folder = root / host
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{WORDS[index % len(WORDS)].title()} {kind.title()}"
        tags = "".join(rng.sample(TAGS, rng.randint(0, 4)))
        style = index % 5  # 0 banner, 1 late banner, 2 banner + trackers only, 3 no banner, 4 late banner
        banner = ""
        if style in (0, 2):
            banner = BANNER
        elif style in (1, 4):
            banner = LATE_BANNER.format(banner=BANNER, delay=800 + rng.randint(0, 1200))
        link = rng.choice(
            [
                '<a href="/privacy-choices.html">Do Not Sell or Share My Personal Information</a>',
                '<a href="/privacy-choices.html">Your Privacy Choices</a>',
                '<a href="/privacy-choices.html">Do Not Sell My Personal Information</a>',
                "",
            ]
        )
        articles = "".join(
            f'<article><h2><a href="/section/{n}.html">{name} story {n}</a></h2>'
            f"<p>{'Lorem ipsum dolor sit amet. ' * 12}</p></article>"
            for n in range(1, 7)
        )
        body = (
            f'<header><h1>{name}</h1><nav><a href="/section/1.html">Top</a> <a href="/about.html">About</a>'
            f'</nav></header><main>{articles}</main><footer><a href="/privacy.html">Privacy Policy</a> {link}'
            f' <a href="/terms.html">Terms</a></footer>{banner}{BANNER_SCRIPT if banner else ""}'
        )
        (folder / "index.html").write_text(_page(name, body, tags), encoding="utf-8")
        policy = (
            "<h1>Privacy Policy</h1>"
            f"<p>Last updated: {rng.choice(['March 3, 2026', 'June 1, 2025', 'May 2, 2023'])}</p>"
            + "<p>We collect identifiers and browsing data and share them with advertising partners.</p>"
            * 20
        )
        (folder / "privacy.html").write_text(_page(f"Privacy Policy — {name}", policy), encoding="utf-8")
        choices = (
            '<h1>Your Privacy Choices</h1><form><label><input type="checkbox" id="optout"> Do not sell or share my'
            ' personal information</label><button type="button" onclick="decide(0)">Save</button></form>'
        )
        (folder / "privacy-choices.html").write_text(
            _page("Your Privacy Choices", choices, BANNER_SCRIPT), encoding="utf-8"
        )
        for extra in ("about", "terms", "section/1", "section/2", "section/3"):
            (folder / f"{extra}.html").parent.mkdir(parents=True, exist_ok=True)
            (folder / f"{extra}.html").write_text(
                _page(extra.title(), f"<h1>{extra}</h1><p>{name}</p>"), encoding="utf-8"
            )
        (folder / "robots.txt").write_text("User-agent: *\nDisallow: /section/3.html\n", encoding="utf-8")
        urls.append(f"http://{host}/")
    return urls
