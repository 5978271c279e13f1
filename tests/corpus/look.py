"""Look at a corpus site as a person would, without the auditor: the tool the labels were written with.

    python -m tests.corpus.look www.example-shop.com [--gpc] STEP ...

Serves the corpus (with its consent managers) on loopback, opens the site in Chromium as an ordinary browser
(``navigator.webdriver`` false, California locale and time zone; with ``--gpc`` the ``Sec-GPC: 1`` header and
``navigator.globalPrivacyControl``), and runs the steps in order:

    shot:NAME            screenshot of the viewport (and the whole page) to OUT/NN-NAME.png
    click:TEXT           click the first visible element whose text is TEXT (open shadow roots included)
    role:ROLE:NAME       click by ARIA role and accessible name, e.g. role:button:Reject all
    frame:SELECTOR:TEXT  click TEXT inside the iframe SELECTOR
    css:SELECTOR         click the element SELECTOR
    xy:X,Y               click the point (X, Y) of the viewport, where a screenshot showed the control
    wait:SECONDS         let time pass, as a person reading the page would
    goto:PATH            open another page of the site
    reload               reload the page
    state                print cookies, local storage, US Privacy / GPP answers, text of dialogs, and
                         the third-party hosts requested since the previous ``state``
    text                 print the page's visible text (open shadow roots and frames included)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from auditor.demo.server import HostFolderServer
from tests.corpus.build import Site, build_root, site_folders

CHROMIUM = "/usr/bin/chromium"
NOT_A_ROBOT = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false});"
GPC_ON = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"
SIGNALS = """async () => {
  const out = {};
  if (typeof window.__uspapi === 'function') {
    window.__uspapi('getUSPData', 1, (data, ok) => { out.uspapi = ok ? data.uspString : 'error'; });
  }
  if (typeof window.__gpp === 'function') {
    out.gpp = await new Promise((resolve) => {
      try { window.__gpp('ping', (ping) => resolve({status: ping.signalStatus, string: ping.gppString,
        sections: ping.parsedSections})); } catch (e) { resolve(String(e)); }
      setTimeout(() => resolve('no answer'), 1500);
    });
  }
  out.localStorage = Object.fromEntries(Object.entries(localStorage));
  out.dialogs = [...document.querySelectorAll('[role=dialog], dialog[open], [aria-modal=true]')]
    .filter((d) => d.offsetParent !== null || getComputedStyle(d).position === 'fixed')
    .map((d) => d.innerText.slice(0, 400));
  return out;
}"""
ALL_TEXT = """() => {
  const parts = [];
  const walk = (root) => {
    parts.push(root.body ? root.body.innerText : '');
    for (const el of (root.querySelectorAll ? root.querySelectorAll('*') : [])) {
      if (!el.shadowRoot) continue;
      parts.push('[shadow ' + el.tagName.toLowerCase() + '] ' + el.shadowRoot.textContent.replace(/\\s+/g, ' ').trim());
    }
  };
  walk(document);
  return parts.join('\\n');
}"""


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.corpus.look", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("host")
    parser.add_argument("steps", nargs="*")
    parser.add_argument("--gpc", action="store_true", help="send Global Privacy Control")
    parser.add_argument("--out", type=Path, default=None, help="screenshots folder (default /tmp/look/HOST[-gpc])")
    args = parser.parse_args()
    # labels are not read: a site is looked at before it is labelled
    sites = {folder.name: Site(folder.name, set_name, folder, {}) for set_name, folder in site_folders()}
    if args.host not in sites:
        sys.exit(f"look: no corpus site {args.host}")
    out = args.out or Path(tempfile.gettempdir()) / "look" / (args.host + ("-gpc" if args.gpc else ""))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as root:
        server = HostFolderServer(build_root(Path(root), list(sites.values()))).start()
        try:
            look(f"http://{args.host}/", args.steps, args.gpc, server.port, out)
        finally:
            server.stop()


def look(url: str, steps: list[str], gpc: bool, port: int, out: Path) -> None:
    site_host = urlsplit(url).hostname
    seen: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[f"--host-resolver-rules=MAP * 127.0.0.1:{port}", "--no-sandbox", "--disable-background-networking"],
        )
        context = browser.new_context(
            locale="en-US",
            timezone_id="America/Los_Angeles",
            viewport={"width": 1280, "height": 800},
            extra_http_headers={"Sec-GPC": "1"} if gpc else {},
        )
        context.add_init_script(NOT_A_ROBOT + (GPC_ON if gpc else ""))
        page = context.new_page()
        page.on("request", lambda request: seen.append(request.url))
        page.on("requestfailed", lambda request: print(f"   [failed] {request.url} {request.failure}"))
        page.on("pageerror", lambda error: print(f"   [page error] {error}"))
        page.on("console", lambda message: print(f"   [console.{message.type}] {message.text}"))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(1500)
        for number, step in enumerate(steps, 1):
            kind, _, rest = step.partition(":")
            print(f"-- {step}")
            try:
                run_step(page, kind, rest, out, number, site_host, seen)
            except Exception as error:  # a step that cannot be done is reported, the rest still run
                print(f"   [step failed] {str(error).splitlines()[0]}")
        browser.close()


def run_step(page, kind: str, rest: str, out: Path, number: int, site_host: str, seen: list[str]) -> None:
    if kind == "shot":
        page.screenshot(path=out / f"{number:02d}-{rest}.png")
        print(f"   {out / f'{number:02d}-{rest}.png'}")
    elif kind == "click":
        page.get_by_text(rest, exact=False).locator("visible=true").first.click(timeout=5000)
        page.wait_for_timeout(1000)
    elif kind == "role":
        role, _, name = rest.partition(":")
        page.get_by_role(role, name=name).locator("visible=true").first.click(timeout=5000)
        page.wait_for_timeout(1000)
    elif kind == "frame":
        selector, _, text = rest.partition(":")
        page.frame_locator(selector).get_by_text(text).first.click(timeout=5000)
        page.wait_for_timeout(1000)
    elif kind == "css":
        page.locator(rest).first.click(timeout=5000)
        page.wait_for_timeout(1000)
    elif kind == "xy":
        x, y = (float(v) for v in rest.split(","))
        page.mouse.click(x, y)
        page.wait_for_timeout(1000)
    elif kind == "wait":
        page.wait_for_timeout(float(rest) * 1000)
    elif kind == "goto":
        page.goto(f"http://{site_host}{rest}", wait_until="load")
        page.wait_for_timeout(1500)
    elif kind == "reload":
        page.reload(wait_until="load")
        page.wait_for_timeout(2000)
    elif kind == "text":
        print(page.evaluate(ALL_TEXT))
        for frame in page.frames[1:]:
            with contextlib.suppress(Exception):
                print(f"[frame {frame.url}] " + frame.evaluate("() => document.body.innerText"))
    elif kind == "state":
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        print("   url:", page.url)
        print("   cookies:", json.dumps(cookies))
        print("   page:", json.dumps(page.evaluate(SIGNALS)))
        third = sorted({urlsplit(u).hostname + urlsplit(u).path for u in seen if urlsplit(u).hostname != site_host})
        print("   third-party requests since last state:", third)
        seen.clear()


if __name__ == "__main__":
    main()
