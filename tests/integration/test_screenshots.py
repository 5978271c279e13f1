"""A captured page's screenshots, in a real browser: a page that fits in the viewport is photographed once and saved
under both names; a page taller or wider than the viewport gets its own full-page screenshot."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from playwright.async_api import Route, async_playwright

from auditor.browser import LaunchSettings, launch, new_visit_context
from auditor.capture.page import capture_page, png_size

pytestmark = pytest.mark.browser

PAGES = {
    "/short": "<title>short</title><h1>Fits in the viewport</h1>",
    "/tall": "<title>tall</title><h1>Taller than the viewport</h1><div style='height:2400px'></div><p>end</p>",
    "/wide": "<title>wide</title><h1>Wider than the viewport</h1><div style='width:3000px;height:10px'></div>",
}


async def _serve(route: Route) -> None:
    path = "/" + route.request.url.split("/", 3)[3]
    await route.fulfill(status=200, content_type="text/html", body=PAGES.get(path, "<title>none</title>"))


def _capture(path: str, site_dir: Path) -> tuple[dict, int]:
    """The capture of ``http://shots.test{path}`` as JSON, and how many screenshots the page was asked for."""

    async def run() -> tuple[dict, int]:
        async with async_playwright() as playwright:
            browser = await launch(playwright, LaunchSettings())
            try:
                context = await new_visit_context(browser, gpc=False)
                await context.route("http://shots.test/**", _serve)
                page = await context.new_page()
                taken = []
                screenshot = page.screenshot

                async def counted(**options):
                    taken.append(options.get("full_page", False))
                    return await screenshot(**options)

                page.screenshot = counted  # type: ignore[method-assign]
                capture, _ = await capture_page(
                    context, f"http://shots.test{path}", site_dir=site_dir, artifact_prefix="shots", page=page
                )
                return capture.model_dump(mode="json"), len(taken)
            finally:
                await browser.close()

    return asyncio.run(run())


def test_a_page_that_fits_the_viewport_is_photographed_once(tmp_path):
    capture, taken = _capture("/short", tmp_path)
    assert capture["error"] is None and taken == 1
    viewport, full = capture["viewport_screenshot"], capture["full_screenshot"]
    assert (viewport["path"], full["path"]) == ("shots/viewport.png", "shots/full.png")
    assert (full["width"], full["height"]) == (viewport["width"], viewport["height"]) == (1280, 800)
    assert (tmp_path / "shots/full.png").read_bytes() == (tmp_path / "shots/viewport.png").read_bytes()
    assert png_size(tmp_path / "shots/full.png") == (1280, 800)


@pytest.mark.parametrize("path, grows", [("/tall", "height"), ("/wide", "width")])
def test_a_page_larger_than_the_viewport_gets_its_own_full_page_screenshot(tmp_path, path, grows):
    capture, taken = _capture(path, tmp_path)
    assert capture["error"] is None and taken == 2
    width, height = png_size(tmp_path / "shots/full.png")
    assert png_size(tmp_path / "shots/viewport.png") == (1280, 800)
    assert (height > 2400) if grows == "height" else (width > 2900)
    assert (capture["full_screenshot"]["width"], capture["full_screenshot"]["height"]) == (width, height)
