# Two commands from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= .demo/prospector-demo.db

.PHONY: demo test lint typecheck pytest pg-binaries bench mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/prospector --db $(DEMO_DB) demo

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check prospector tests
	$(BIN)/ruff format --check prospector tests
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Once on SQLite (every test), once on PostgreSQL (every test that uses a team
# database, each on a throwaway cluster of its own: tests/pg_cluster.py). Four
# workers on two cores: a test often waits (a server, a subprocess, a terminal).
pytest: $(STAMP) pg-binaries
	$(BIN)/pytest -n 4 -q
	PROSPECTOR_TEST_BACKEND=postgresql $(BIN)/pytest -n 4 -q

# PostgreSQL's server binaries for the suite's throwaway clusters (tests/pg_cluster.py),
# installed from the distribution only when missing (as root, where apt-get exists).
pg-binaries:
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql; \
	else echo "PostgreSQL's server binaries are missing: install the 'postgresql' package" >&2; exit 1; fi

bench: $(STAMP)
	$(BIN)/python -m tests.bench

# Mutation testing of the rule modules, on demand (not part of `make test`): mutmut
# breaks them one small change at a time and runs the fast tests that reach the
# changed function; a mutant no test notices is a rule no test holds. Each run starts
# afresh (results of older code or tests would mislead). About 15 minutes on 2 cores;
# `make mutate MODULES="windows claims"` runs only those modules.
MUTATE_STAMP := $(VENV)/.installed-mutate
MODULES ?=
MUTATE_JOBS ?= 2

$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,mutate]'
	touch $(MUTATE_STAMP)

mutate: $(MUTATE_STAMP)
	rm -rf mutants
	env -u PYTHONPATH $(BIN)/mutmut run --max-children $(MUTATE_JOBS) \
		$(foreach module,$(MODULES),'prospector.*.$(module).*')
	$(BIN)/python -m tests.mutation_report

clean:
	rm -rf $(VENV) .demo mutants
