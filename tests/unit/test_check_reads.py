"""Each check reads only the evidence it declares, as Lighthouse tests that an audit gets only its artifacts.

Every built-in rule is judged twice on real saved evidence: on the whole of it, and on a copy that holds only
what the rule's check requires or reads when present (every other visit, field, list and sub-model emptied). The
findings must be the same; a check that reads something it does not declare sees it vanish and says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from auditor.checks import get_check
from auditor.engine import default_context, evaluate_rule
from auditor.evidence import SiteEvidence
from auditor.evidence.failures import step_filling
from auditor.evidence.paths import EvidencePath
from auditor.rulepacks import all_rules, builtin_pack_paths, load_packs

SAVED = Path(__file__).parent / "saved_runs"
RUNS = sorted(p.name for p in SAVED.iterdir() if (p / "evidence" / "evidence.json").is_file())
RULES = all_rules(load_packs(builtin_pack_paths()))
CONTEXT = default_context()


def prune(evidence: SiteEvidence, paths: tuple[EvidencePath, ...]) -> SiteEvidence:
    """A copy of ``evidence`` with only the visits and the parts of them that ``paths`` name."""
    profiles = {}
    for name, capture in evidence.profiles.items():
        wanted = [path.fields for path in paths if path.profile == name]
        if wanted:
            profiles[name] = _prune(capture, wanted)
    return evidence.model_copy(update={"profiles": profiles})


def _prune(model: BaseModel, wanted: list[tuple[str, ...]]) -> BaseModel:
    """Keep a model's plain values (text, numbers, flags); keep its parts (sub-models, lists, mappings) only when
    ``wanted`` names them, walking into sub-models and mappings for deeper paths."""
    updates = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if (
            value is None
            or isinstance(value, str | int | float | bool)
            or not isinstance(value, BaseModel | list | dict)
        ):
            continue
        below = [path[1:] for path in wanted if path[:1] == (name,)]
        if any(not rest for rest in below):
            continue  # the whole part is wanted
        if isinstance(value, BaseModel) and (below or field.is_required()):
            updates[name] = _prune(value, below)
        elif isinstance(value, dict) and below:
            updates[name] = {key: item for key, item in value.items() if any(rest[0] == key for rest in below)}
        elif not below:
            updates[name] = field.get_default(call_default_factory=True)
    return model.model_copy(update=updates)


def _reads(rule_id: str) -> tuple[EvidencePath, ...]:
    """What the rule's check declares, and for each path the part that shows its capture step ran (the engine
    reads it to tell "the page had none" from "the step never ran")."""
    rule = RULES[rule_id]
    paths = rule.required_evidence() + get_check(rule.check).optional
    steps = [(path.profile, step_filling(path.fields)) for path in paths]
    marks = [EvidencePath(profile, tuple(step.fills[0].split("."))) for profile, step in steps if step is not None]
    return paths + tuple(marks)


@pytest.mark.parametrize("run", RUNS)
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_a_check_given_only_what_it_declares_finds_the_same(run, rule_id):
    evidence = SiteEvidence.load(SAVED / run / "evidence" / "evidence.json")
    whole = evaluate_rule(RULES[rule_id], evidence, CONTEXT)
    alone = evaluate_rule(RULES[rule_id], prune(evidence, _reads(rule_id)), CONTEXT)
    assert (alone.status, alone.message) == (whole.status, whole.message)


def test_pruning_leaves_out_what_is_not_declared():
    evidence = SiteEvidence.load(SAVED / "www.pacificherald-news.com" / "evidence" / "evidence.json")
    pruned = prune(evidence, _reads("ccpa.dns-link"))
    assert set(pruned.profiles) == {"baseline"}
    baseline = pruned.profiles["baseline"]
    assert baseline.consent is None and baseline.signals is None and baseline.policy is None
    assert baseline.homepage.links and baseline.homepage.requests and not baseline.homepage.console_errors
    # ... so a check that read more than it declares would be caught: without its links the opt-out link is gone.
    links_removed = prune(evidence, tuple(p for p in _reads("ccpa.dns-link") if p.fields[-1] != "links"))
    assert evaluate_rule(RULES["ccpa.dns-link"], links_removed, CONTEXT).status != "pass"
    assert evaluate_rule(RULES["ccpa.dns-link"], evidence, CONTEXT).status == "pass"
