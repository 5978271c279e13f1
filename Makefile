# The two commands of the README:
#   make demo   set up whatever is missing, then audit the bundled demo sites and write a report
#   make test   set up whatever is missing, then run the test suite (the long runs: make test-long, make soak)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# make test leaves out the runs that take minutes (marker slow: the full 50-site hostile run); make test-long runs them.
PYTEST_ARGS ?= -n 2 --dist loadfile -m "not slow" --durations=15

.PHONY: setup demo test test-long typecheck bench soak accuracy lint schemas docs clean

setup: $(STAMP)
	@scripts/ensure-chromium.sh $(PY) >/dev/null
	@scripts/ensure-redis.sh >/dev/null

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements/autoconsent.txt requirements/axe.txt | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements/autoconsent.txt -r requirements/axe.txt
	$(PY) -m pip install -q -e '.[test,distributed,abp]'
	touch $(STAMP)

demo: setup
	$(VENV)/bin/auditor demo

# The type checker first (configuration: [tool.mypy] in pyproject.toml), then every test.
test: setup typecheck
	$(PY) -m pytest $(PYTEST_ARGS)

# The long runs left out of make test: the full 50-site hostile run (3.5-5 minutes on a shared 2-core machine).
test-long: setup
	$(PY) -m pytest -p no:randomly -m slow

typecheck: setup
	$(VENV)/bin/mypy

# Generated files that tests compare with their sources: the rule catalog and the rule-pack JSON Schema.
docs: setup
	$(VENV)/bin/auditor rules list --markdown > docs/rules.md

schemas: setup
	$(VENV)/bin/auditor rules schema > schemas/rulepack.schema.json

# The benchmark (bench/README.md): the audit at concurrency 1, 2 and 4, the floor of issue 13, the one-site CI
# latency, and the table of the issue's targets; two rounds, the levels forward then backward (1 2 4 4 2 1), so the
# machine's drift weighs on every level alike. BENCH_ARGS='--sites 24 --rounds 3' for steadier figures.
BENCH_ARGS ?= --sites 12 --levels 1,2,4
bench: setup
	$(PY) -m bench $(BENCH_ARGS)

# The soak run (bench/soak.py): 1,000 generated sites, some faulty, memory sampled, a kill -9 at a random point
# and --resume; proves from the outputs that no finished site is lost or audited twice. SOAK_ARGS='--sites 40'
# for a short one. Figures: bench/results/<date>-soak-<sites>.json.
SOAK_ARGS ?= --sites 1000 --concurrency 4
soak: setup
	$(PY) -m bench.soak $(SOAK_ARGS)

# Score the auditor on the whole labelled accuracy corpus (tests/corpus/, README "Accuracy"); needs npm.
ACCURACY_ARGS ?= --set all
accuracy: setup
	$(PY) -m bench.accuracy $(ACCURACY_ARGS)

lint: setup
	$(VENV)/bin/ruff check auditor tests

clean:
	rm -rf $(VENV) audit-reports test-artifacts .pytest_cache .mypy_cache
