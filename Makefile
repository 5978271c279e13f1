# The two commands of the README:
#   make demo   set up whatever is missing, then audit the bundled demo sites and write a report
#   make test   set up whatever is missing, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?= -n 2 --dist loadfile -m "not corpus"

.PHONY: setup demo test typecheck bench accuracy lint schemas docs clean

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

typecheck: setup
	$(VENV)/bin/mypy

# Generated files that tests compare with their sources: the rule catalog and the rule-pack JSON Schema.
docs: setup
	$(VENV)/bin/auditor rules list --markdown > docs/rules.md

schemas: setup
	$(VENV)/bin/auditor rules schema > schemas/rulepack.schema.json

# The many-sites benchmark (bench/README.md): BENCH_ARGS='--sites 1000 --levels 2' for the long run.
BENCH_ARGS ?= --sites 40
bench: setup
	$(PY) -m bench $(BENCH_ARGS)

# Score the auditor on the whole labelled accuracy corpus (tests/corpus/, README "Accuracy"); needs npm.
ACCURACY_ARGS ?= --set all
accuracy: setup
	$(PY) -m bench.accuracy $(ACCURACY_ARGS)

lint: setup
	$(VENV)/bin/ruff check auditor tests

clean:
	rm -rf $(VENV) audit-reports test-artifacts .pytest_cache .mypy_cache
