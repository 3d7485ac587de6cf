# The README's commands. Everything runs from a local .venv that the first
# target creates, so a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= data/corpus.db

.PHONY: setup ingest test test-slow wheel-check docs bench bench-scale clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

ingest: setup
	$(BIN)/policycorpus ingest seeds --db $(DB)

test: setup
	$(BIN)/python -m pytest -q

# The slow tests (interruptions of real ingest processes, hypothesis fuzzing
# of every command), left out of `make test`; CI runs both.
test-slow: setup
	$(BIN)/python -m pytest -q -m slow

# Build the wheel, install it in a fresh virtualenv and ingest and query the
# seeds with it (what `pip install .` gives a user); CI runs this.
wheel-check:
	bash .ci/wheel

# Regenerate the command reference (docs/commands.md) from --help.
docs: setup
	$(BIN)/cog -r docs/commands.md

# Speed and scale figures (README, "Speed and scale"); about 10 minutes, the
# first run longer while it builds its corpora and 100k-document database.
bench: setup
	cd bench && ../$(BIN)/python ingest_throughput.py
	cd bench && ../$(BIN)/python ingest_workers.py
	cd bench && ../$(BIN)/python reingest.py
	cd bench && ../$(BIN)/python queries.py

# The corpus layer at scale (docs/performance.md): grows a generated corpus to
# 10k, 100k and 1M documents (cached under bench/out/), times adding documents,
# a correction and the queries. Hours on a small machine the first time;
# LARGEST=100000 stops at 100k.
LARGEST ?= 1000000
bench-scale: setup
	cd bench && ../$(BIN)/python scale.py --largest $(LARGEST)

clean:
	rm -rf $(VENV) data/corpus.db data/corpus.db-wal data/corpus.db-shm
