"""The auditor scored on the fixed half of the labelled accuracy corpus (issue #14).

Fails on any false pass (``pass`` where the person's label does not accept it) and on agreement below 95%.
Part of ``make test``; alone: ``.venv/bin/pytest tests/corpus -m corpus -p no:xdist``; the whole corpus:
``make accuracy``.
"""

from __future__ import annotations

import json

import pytest

from bench.accuracy import main as score_corpus
from tests.corpus.build import all_sites, label_problems

MINIMUM_AGREEMENT = 0.95


def test_every_label_is_complete_and_names_its_folder():
    for site in all_sites():
        assert label_problems(site.label, site.host) == [], site.host


@pytest.mark.corpus
@pytest.mark.browser
def test_the_half_set_has_no_false_pass_and_agrees_on_at_least_95_percent(tmp_path):
    figures = tmp_path / "accuracy.json"
    assert score_corpus(["--set", "half", "--json", str(figures), "--out", str(tmp_path / "out")]) == 0
    result = json.loads(figures.read_text())
    wrong = "\n".join(
        f"{d['host']} {d['rule']}: expected {d['expected']}, got {d['got']} ({d['message'][:160]})"
        for d in result["disagreements"]
    )
    assert result["false_passes"] == 0, f"{result['summary']}\n{wrong}"
    assert result["agreement"] >= MINIMUM_AGREEMENT, f"{result['summary']}\n{wrong}"
