"""The page-side bundles share one copy of the DOM helpers (capture/js/dom_helpers.js, issue #11 D1)."""

from __future__ import annotations

from importlib.resources import files

import pytest

from auditor.capture.scripts import DOM_HELPERS, bundle_call

SHARED = ("collapse", "parentOf", "deepAll", "deepContains", "visible")
BUNDLES = [("auditor.capture.consent", "js/consent.js"), ("auditor.capture.accessibility", "js/a11y.js")]


@pytest.mark.parametrize(("package", "path"), BUNDLES)
def test_a_bundle_defines_none_of_the_shared_helpers_and_gets_each_once(package, path):
    own = files(package).joinpath(path).read_text(encoding="utf-8")
    composed = bundle_call(package, path)
    for name in SHARED:
        assert f"const {name} =" in DOM_HELPERS
        assert f"const {name} =" not in own, f"{path} has its own copy of {name}"
        assert composed.count(f"const {name} =") == 1
    assert composed.startswith("([op, arg]) => ") and composed.endswith("[op](arg)")
