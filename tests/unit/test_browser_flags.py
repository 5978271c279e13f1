"""Chromium's flags: one --enable-features and one --disable-features switch (Chromium keeps only the last of each),
holding Playwright's features, the auditor's and the user's; Playwright's lists as the installed driver has them."""

from __future__ import annotations

import re
from pathlib import Path

import playwright

from auditor.browser import (
    AUDITOR_DISABLED_FEATURES,
    NATIVE_GPC_FEATURE,
    PLAYWRIGHT_DISABLED_FEATURES,
    PLAYWRIGHT_ENABLED_FEATURES,
    LaunchSettings,
)


def _switch(args: list[str], name: str) -> list[str]:
    values = [a.split("=", 1)[1] for a in args if a.startswith(f"{name}=")]
    assert len(values) == 1, f"{name} appears {len(values)} times in {args}"
    return values[0].split(",")


def test_one_switch_each_with_playwrights_ours_and_the_users_features() -> None:
    user = ["--disable-features=Foo,MediaRouter", "--enable-features=Bar", "--lang=en-US"]
    args = LaunchSettings(extra_args=user, native_gpc=True).args()
    disabled, enabled = _switch(args, "--disable-features"), _switch(args, "--enable-features")
    assert disabled == [*PLAYWRIGHT_DISABLED_FEATURES, *AUDITOR_DISABLED_FEATURES, "Foo"]
    assert enabled == [*PLAYWRIGHT_ENABLED_FEATURES, NATIVE_GPC_FEATURE, "Bar"]
    assert args[-1] == "--lang=en-US"  # the user's other flags are kept, last
    assert "WebUIOmniboxPopup" in disabled and "WebUIOmniboxAimPopup" in disabled


def test_without_native_gpc_the_test_hook_is_not_enabled() -> None:
    args = LaunchSettings(native_gpc=False).args()
    assert _switch(args, "--enable-features") == list(PLAYWRIGHT_ENABLED_FEATURES)
    assert not any(a.startswith("--enable-blink-features=") for a in args)


def _driver_list(source: str, name: str) -> list[str]:
    match = re.search(rf"{name} = (?:\(\) => )?\[(.*?)\]\.filter\(Boolean\)", source, re.DOTALL)
    assert match, f"Playwright's driver no longer defines {name} the way this test reads it"
    body = re.sub(r"//[^\n]*", "", match.group(1))  # comments
    return re.findall(r'"(\w+)"', body)  # an entry behind a condition (`env ? "" : "Name"`) counts


def test_playwrights_feature_lists_are_the_installed_drivers() -> None:
    """Our switches replace Playwright's, so they must repeat its lists; an upgraded driver with other lists fails
    here rather than silently losing (or regaining) a feature."""
    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    source = bundle.read_text(encoding="utf-8")
    assert _driver_list(source, "disabledFeatures") == list(PLAYWRIGHT_DISABLED_FEATURES)
    assert _driver_list(source, "enabledFeatures") == list(PLAYWRIGHT_ENABLED_FEATURES)
