"""Open a written report in real headless Chromium and record what it did: console, dialogs, requests.

Used by the report tests: a report must render, log no console error, open no dialog and make no request
other than to its own files (file:// URLs inside the output folder) or data URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import sync_playwright

from auditor.browser import BASE_ARGS, find_chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class Viewing:
    console: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    text: str = ""
    title: str = ""
    screenshot: Path | None = None
    extra: dict = field(default_factory=dict)

    def foreign_requests(self, root: Path) -> list[str]:
        """Requests that are neither data: URLs nor files inside ``root``."""
        prefix = root.resolve().as_uri()
        return [u for u in self.requests if not (u.startswith("data:") or u.startswith(prefix))]

    def errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.page_errors


class ReportBrowser:
    """One headless Chromium for many report views (a fresh page, and so a fresh document, each time)."""

    def __enter__(self) -> ReportBrowser:
        self._playwright = sync_playwright().start()
        args = list(BASE_ARGS) + ["--no-sandbox"]
        self._browser = self._playwright.chromium.launch(
            executable_path=find_chromium().executable, headless=True, args=args
        )
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._playwright.stop()

    def view(self, path: Path, screenshot_name: str | None = None, actions=None, full_page: bool = False) -> Viewing:
        """Load ``path`` (file://), run ``actions(page)`` if given, and record everything the page did."""
        result = Viewing()
        context = self._browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.on("console", lambda m: result.console.append((m.type, m.text)))
            page.on("pageerror", lambda e: result.page_errors.append(str(e)))
            page.on("request", lambda r: result.requests.append(r.url))

            def on_dialog(dialog) -> None:
                result.dialogs.append(f"{dialog.type}: {dialog.message}")
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', e => "
                "console.warn('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));"
            )
            page.goto(path.resolve().as_uri(), wait_until="load")
            if actions:
                result.extra = actions(page) or {}
            result.title = page.title()
            result.text = page.inner_text("body")
            if screenshot_name:
                ARTIFACTS.mkdir(exist_ok=True)
                result.screenshot = ARTIFACTS / screenshot_name
                page.screenshot(path=str(result.screenshot), full_page=full_page)
        finally:
            context.close()
        result.csp_violations = [text for _, text in result.console if text.startswith("CSP-VIOLATION")]
        return result


def view(path: Path, screenshot_name: str | None = None, actions=None, full_page: bool = False) -> Viewing:
    """One-off: open ``path`` in its own browser (see :class:`ReportBrowser` to view many)."""
    with ReportBrowser() as browser:
        return browser.view(path, screenshot_name, actions, full_page)
