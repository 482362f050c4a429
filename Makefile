# Produktionslotsen. `make run` starts everything, `make test` runs every check.
# Targets are files where possible, so each step re-runs only when its inputs change.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

KNOWLEDGE := $(shell find knowledge -type f \( -name '*.yml' -o -name '*.json' \) 2>/dev/null | sort)
# The list of knowledge files, rewritten only when it changes: a deleted entry also triggers a rebuild
# (make alone only notices files that are newer than the database).
KNOWLEDGE_LIST := var/knowledge.files
$(shell mkdir -p var; echo '$(KNOWLEDGE)' | cmp -s - $(KNOWLEDGE_LIST) || echo '$(KNOWLEDGE)' > $(KNOWLEDGE_LIST))
NLU_SRC := $(shell find nlu -name '*.yml' -not -path 'nlu/generated/*' 2>/dev/null | sort)
DOMAIN := $(shell find domain -name '*.yml' 2>/dev/null | sort)
STORIES := $(shell find stories -name '*.yml' 2>/dev/null | sort)
GENERATED_NLU := nlu/generated/kb_entities.yml
MODEL := models/current.tar.gz
# The code the built files are made with: the Swedish text module folds, stems and drops stop words for both the
# knowledge index and the intent classifier, so a change there rebuilds both (a stop word added in bot/swedish.py
# left an old index and model behind when only knowledge/ and nlu/ were listed).
TEXT_CODE := bot/swedish.py
KB_CODE := $(TEXT_CODE) $(wildcard bot/kb/*.py)
NLU_CODE := $(TEXT_CODE) $(wildcard bot/nlu/*.py)

.PHONY: help install kb train run run-scaled scale-servers test lint validate pytest eval bench browser npm clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

$(VENV)/.installed: requirements.lock pyproject.toml scripts/find-python310.sh
	@py=$$(scripts/find-python310.sh) || exit 1; \
	  echo "Using $$py"; \
	  [ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' \
	    || { rm -rf $(VENV); $$py -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

install: $(VENV)/.installed ## create .venv and install the locked dependencies

var/knowledge.db: $(VENV)/.installed $(KNOWLEDGE) $(KNOWLEDGE_LIST) $(KB_CODE)
	$(BIN)/lotsen kb validate
	$(BIN)/lotsen kb build

kb: var/knowledge.db ## validate and compile knowledge/ into var/knowledge.db

$(GENERATED_NLU): $(VENV)/.installed $(KNOWLEDGE) $(KNOWLEDGE_LIST) $(KB_CODE)
	$(BIN)/lotsen kb nlu --out $@

$(MODEL): $(VENV)/.installed config.yml $(DOMAIN) $(NLU_SRC) $(STORIES) $(GENERATED_NLU) $(NLU_CODE)
	$(BIN)/rasa train --quiet --domain domain --data nlu stories --config config.yml \
	  --out models --fixed-model-name current

train: $(MODEL) ## train the Rasa model when its inputs changed

run: var/knowledge.db $(MODEL) ## start Rasa, the action server, the widget page (and Telegram if configured)
	$(BIN)/lotsen run

REPLICAS ?= 2
ACTION_SERVERS ?= 1
run-scaled: var/knowledge.db $(MODEL) scale-servers ## N Rasa replicas (REPLICAS=2) behind nginx on PostgreSQL and Redis
	$(BIN)/lotsen run-scaled --replicas $(REPLICAS) --action-servers $(ACTION_SERVERS)

# Debian's servers for the scaled mode and its tests; the packages' own services are not needed
# (`lotsen run-scaled` starts its own under var/scale).
SCALE_PACKAGES := postgresql redis-server nginx
scale-servers: ## install Debian's PostgreSQL, Redis and nginx for the scaled mode (needs root or sudo)
	@{ ls /usr/lib/postgresql/*/bin/postgres && command -v redis-server && { command -v nginx || test -x /usr/sbin/nginx; }; } >/dev/null 2>&1 || { \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $(SCALE_PACKAGES) >/dev/null; }

browser: ## install Debian's chromium for the widget tests (needs root or sudo)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# axe-core and rasa-webchat for the browser tests, exactly as package-lock.json pins them; npm's cache
# is used first, so a second install needs no network. No install scripts run.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq npm >/dev/null; fi; }
	npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error
	@touch $@

npm: node_modules/.package-lock.json ## install the browser tests' npm packages (axe-core, rasa-webchat)

lint: $(VENV)/.installed ## ruff and mypy
	$(BIN)/ruff check bot tests
	$(BIN)/ruff format --check bot tests
	$(BIN)/mypy

validate: $(VENV)/.installed $(GENERATED_NLU) ## knowledge and Rasa data validation
	$(BIN)/lotsen kb validate --fail-on-warnings
	$(BIN)/rasa data validate --domain domain --data nlu stories --config config.yml --fail-on-warnings

pytest: var/knowledge.db $(MODEL) browser scale-servers node_modules/.package-lock.json
	$(BIN)/pytest

test: lint validate pytest ## run every check: lint, data validation, the pytest suite

eval: $(MODEL) ## NLU report on the held-out set, cross-validation, test stories
	$(BIN)/lotsen eval

bench: var/knowledge.db $(MODEL) ## time to first answer, latency and memory of the servers
	$(BIN)/lotsen bench $(if $(SCALED),--scaled $(SCALED))

clean: ## remove build outputs (keeps .venv)
	rm -rf var models nlu/generated results test-artifacts node_modules
