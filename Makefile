# Every target builds and uses .venv itself; nothing needs activating first.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: help demo test test-at fuzz prerequisites lint sqlfluff ruff fmt docs db-up db-down db-status migrate status bench bench-trades bench-test instructions clean

help:
	@echo "make demo      start the throwaway server, migrate, and show the demo"
	@echo "make test      every gate CI runs: sqlfluff, ruff, plpgsql_check, pgTAP, pytest"
	@echo "make fuzz      the long run of the fuzz gate over every api function (FUZZ_EXAMPLES=500)"
	@echo "make test-at AT='2026-12-31 23:45:00'  the suite with the wall clock (the server's too) from AT, UTC"
	@echo "make bench-trades  api write path vs pgbench tpcb-like on a throwaway server (make bench: the same)"
	@echo "make instructions  instructions per market order, counted by callgrind (needs valgrind)"
	@echo "make bench-test    the benchmark tooling's own end-to-end tests (not in make test)"
	@echo "make db-up | db-down | db-status | migrate | status | docs | fmt | clean"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tradebase demo

# The machine's part of the test set-up (Debian packages), before anything else runs.
prerequisites:
	bash scripts/install_prerequisites.sh

test: prerequisites
	$(MAKE) lint
	$(BIN)/pytest

# The fuzz gate's long run: every api function with FUZZ_EXAMPLES hypothesis examples per context and
# every hostile text in every text argument (make test runs the short one; tests/python/test_api_fuzz.py).
FUZZ_EXAMPLES ?= 500
fuzz: prerequisites $(STAMP)
	TB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -s -p no:cacheprovider tests/python/test_api_fuzz.py

# The suite with the wall clock starting at AT (UTC), the server's too: month and year ends (README).
AT ?= 2026-12-31 23:45:00
test-at: prerequisites $(STAMP)
	scripts/at.sh '$(AT)' $(BIN)/pytest -q -p no:cacheprovider

lint: sqlfluff ruff

sqlfluff: $(STAMP)
	$(BIN)/sqlfluff lint --processes 2 sql migrations

ruff: $(STAMP)
	$(BIN)/ruff check python tests scripts
	$(BIN)/ruff format --check python tests scripts

fmt: $(STAMP)
	$(BIN)/sqlfluff fix --processes 2 sql migrations
	$(BIN)/ruff check --fix python tests scripts
	$(BIN)/ruff format python tests scripts

# docs/schema.md from the COMMENT ON of a freshly migrated scratch database.
docs: $(STAMP)
	$(BIN)/tradebase docs

db-up: $(STAMP)
	$(BIN)/tradebase db up

db-down: $(STAMP)
	$(BIN)/tradebase db down

db-status: $(STAMP)
	$(BIN)/tradebase db status

migrate: $(STAMP)
	$(BIN)/tradebase migrate

status: $(STAMP)
	$(BIN)/tradebase status

# The ledger/trade write path beside pgbench tpcb-like on one throwaway server (docs/performance.md).
bench-trades: $(STAMP)
	$(BIN)/python scripts/bench_trades.py

# The project's benchmark (DESIGN's `make bench`): instructions per market order are its pass/fail (they
# repeat exactly); then the throughput ratios to pgbench's tpcb-like, reported (timings move between runs).
bench: instructions
	$(BIN)/python scripts/bench_trades.py --report-only
	$(BIN)/python scripts/bench_metrics.py
	$(BIN)/python scripts/bench_analytics.py --report-only
	$(BIN)/python scripts/bench_funds.py --report-only
	$(BIN)/python scripts/bench_backtests.py --report-only

# Instructions per market order under callgrind: repeatable where wall-clock figures are not (docs/performance.md).
instructions: $(STAMP)
	$(BIN)/python scripts/count_instructions.py

# The benchmark tooling's own tests that run pgbench or callgrind (about 30 s, marked `bench`): after changing
# scripts/bench_trades.py or scripts/count_instructions.py. make test runs their fast checks only.
bench-test: $(STAMP)
	$(BIN)/pytest -q -m bench tests/python/test_bench_trades.py tests/python/test_count_instructions.py \
		tests/python/test_count_tick_instructions.py

clean: db-down
	rm -rf .tradebase
