# newscorpus — developer commands. `make demo` and `make test` do all their own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NC := $(BIN)/newscorpus
DEMO := scratch/demo
VERSION := $(shell ls -d releases/*/ | xargs -n1 basename | sort -V | tail -n 1)
RELEASE := releases/$(VERSION)

.PHONY: demo test bench bench-html bench-release bench-annotate bench-all lint venv labelstudio clean

$(BIN)/newscorpus: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

venv: $(BIN)/newscorpus

# The main job on the bundled sample: convert -> validate -> release build (in a scratch
# workspace holding the earlier releases, which the build diffs with and keeps splits from)
# -> verify -> compare checksums with the latest committed release -> load with datasets.
demo: venv
	rm -rf $(DEMO) && mkdir -p $(DEMO)/releases
	cp -rL newscorpus.yaml raw profiles annotations $(DEMO)/
	for r in releases/*/; do v=$$(basename $$r); [ "$$v" = "$(VERSION)" ] || cp -r $$r $(DEMO)/releases/; done
	$(NC) convert -w $(DEMO) --strict
	$(NC) validate -w $(DEMO)
	$(NC) release build $(VERSION) -w $(DEMO) --date $$($(BIN)/python -c "import json; print(json.load(open('$(RELEASE)/manifest.json'))['release_date'])")
	$(NC) release verify $(DEMO)/$(RELEASE)
	cmp $(RELEASE)/SHA256SUMS $(DEMO)/$(RELEASE)/SHA256SUMS && echo "checksums identical to the committed $(RELEASE)"
	$(NC) info --release $(DEMO)/$(RELEASE)

labelstudio:
	bash tools/labelstudio.sh install template

# The whole test suite, with a real Label Studio server and ../shared/data.
test: venv labelstudio heldout-pages
	$(BIN)/python -m pytest; s=$$?; if [ $$s -eq 5 ]; then echo 'pytest collected no tests: failing' >&2; exit 1; fi; exit $$s

# Benchmarks print ratios against baselines measured in the same run (never timed tests).
bench: venv                # validation, page-dump conversion, release build of 100k articles
	$(BIN)/python bench/run.py

bench-html: venv           # HTML pages/s and WARC records/s vs bare trafilatura and warcio
	$(BIN)/python bench/html_bench.py

bench-release: venv        # 100k and 1M article release builds: peak RSS and time vs pyarrow
	$(BIN)/python bench/release_bench.py

bench-annotate: venv labelstudio   # push/re-push/pull against a real Label Studio server
	$(BIN)/python bench/annotate_bench.py

bench-all: bench bench-html bench-release bench-annotate

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf scratch .newscorpus

bench-engine: venv         # conversion throughput: local --jobs 2 vs 1 (newscorpus convert), dask 2 workers vs 1
	flock /tmp/heavy.lock nice -n 5 $(BIN)/python bench/engine_bench.py --dask

# Field-level accuracy (title, language, date, authors, URL) on ../shared/data, per format.
.PHONY: quality
quality: venv
	PYTHONPATH=src $(BIN)/python -m tests.quality.fields

# Streaming inputs (issue 9): a generated >= 1 GiB gzip WARC read at FastWARC's speed in
# bounded memory; 10,000 vs 100,000-item feed and NewsML message. Inputs go to /tmp.
.PHONY: bench-stream-warc bench-stream-feeds
bench-stream-warc: venv
	flock /tmp/heavy.lock nice -n 5 $(BIN)/python bench/stream_bench.py warc

bench-stream-feeds: venv
	flock /tmp/heavy.lock nice -n 5 $(BIN)/python bench/stream_bench.py feeds

# A whole conversion's peak RSS, 10,000 vs 100,000 JSONL rows and RSS items (issue 9).
.PHONY: bench-stream-convert
bench-stream-convert: venv
	flock /tmp/heavy.lock nice -n 5 $(BIN)/python bench/stream_bench.py convert

# Consumers: every config of a release loads with the oldest `datasets` the card states
# (release/features.py MIN_DATASETS), in a small venv of its own (.venv-oldest).
OLDEST_DATASETS = $(shell sed -n 's/^MIN_DATASETS = "\(.*\)"/\1/p' src/newscorpus/release/features.py)
.PHONY: oldest-datasets
oldest-datasets: venv
	test -x .venv-oldest/bin/python || $(PYTHON) -m venv .venv-oldest
	.venv-oldest/bin/python -m pip install --quiet "datasets==$(OLDEST_DATASETS)"
	rm -rf scratch/oldest-datasets
	$(NC) release build 0.0.1 --first --date 2026-01-01 --out scratch/oldest-datasets
	HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 \
	  .venv-oldest/bin/python tools/oldest_datasets.py scratch/oldest-datasets/0.0.1

# Held-out pages for the body-text gate (issue 12): the test pages of the newspaper4k source
# distribution (HTML + the article text its maintainers expect), downloaded with pip into a
# cache outside the repository; tests/quality/test_heldout_pages.py reads them from there.
HELDOUT := $(HOME)/.cache/newscorpus/heldout
.PHONY: heldout-pages
heldout-pages: venv
	test -d $(HELDOUT)/newspaper4k-0.9.6/tests/data/txt || { mkdir -p $(HELDOUT) && \
	  $(BIN)/python -m pip download --quiet --no-deps --no-binary :all: newspaper4k==0.9.6 -d $(HELDOUT) && \
	  tar -xzf $(HELDOUT)/newspaper4k-0.9.6.tar.gz -C $(HELDOUT) newspaper4k-0.9.6/tests/data; }
