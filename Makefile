# The README's commands. Everything runs from a local .venv that the first
# target creates, so a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= data/corpus.db

.PHONY: setup ingest test test-slow eval reference-data wheel-check docs bench bench-messy bench-scale bench-cluster clean

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
# of every command, ingest on a LocalCluster), left out of `make test`; CI runs both.
test-slow: setup
	$(BIN)/python -m pytest -q -m slow

# Extraction quality: the seeds and the shared dev set, scored by their gold.
SHARED ?= ../shared
eval: setup
	rm -f /tmp/policycorpus-eval-seeds.db* /tmp/policycorpus-eval-dev.db*
	$(BIN)/policycorpus ingest seeds --db /tmp/policycorpus-eval-seeds.db --force
	$(BIN)/policycorpus evaluate $(SHARED)/gold/seeds.jsonl --db /tmp/policycorpus-eval-seeds.db
	$(BIN)/policycorpus ingest $(SHARED)/dev/docs --db /tmp/policycorpus-eval-dev.db --force
	$(BIN)/policycorpus evaluate $(SHARED)/dev/gold.jsonl --db /tmp/policycorpus-eval-dev.db \
		--relations $(SHARED)/dev/relations.jsonl --show-errors

# Rebuild the reference data in models/ from the public records in $(SHARED)/data:
# office holders, their given names, Federal Register agencies, small places.
reference-data: setup
	$(BIN)/python scripts/build_officeholders.py $(SHARED)/data
	$(BIN)/python scripts/build_given_names.py $(SHARED)/data/openstates-people.jsonl.gz
	$(BIN)/python scripts/build_federal_agencies.py $(SHARED)/data/federal-register-agencies.jsonl
	$(BIN)/python scripts/build_small_places.py

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

# A messy archive (thousands of files, broken ones, one 30 MB text file) ingested
# with 2 workers: every file accounted for, peak memory per process; BIG_MB=3 for
# a quicker run.
BIG_MB ?= 30
bench-messy: setup
	cd bench && ../$(BIN)/python messy_archive.py --big-mb $(BIG_MB)

# The corpus layer at scale (docs/performance.md): grows a generated corpus to
# 10k, 100k and 1M documents (cached under bench/out/), times adding documents,
# a correction and the queries. Hours on a small machine the first time;
# LARGEST=100000 stops at 100k.
LARGEST ?= 1000000
bench-scale: setup
	cd bench && ../$(BIN)/python scale.py --largest $(LARGEST)

# Ingest with --engine dask on a LocalCluster against the embedded ingest, and
# the cost model (CPU-seconds per 1,000 words) of docs/scaling.md; a few minutes.
bench-cluster: setup
	cd bench && ../$(BIN)/python cluster_ingest.py

clean:
	rm -rf $(VENV) data/corpus.db data/corpus.db-wal data/corpus.db-shm
