# Relaymesh — build, run and test. Needs a JDK 21+ (found automatically) and Maven.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A JDK 21+: JAVA_HOME when it is one, else the newest under /usr/lib/jvm.
JDK := $(shell \
  ok() { [ -x "$$1/bin/javac" ] && v=$$("$$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p') && [ "$${v%%.*}" -ge 21 ] 2>/dev/null; }; \
  if [ -n "$$JAVA_HOME" ] && ok "$$JAVA_HOME"; then echo "$$JAVA_HOME"; exit; fi; \
  for d in $$(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do d=$${d%/}; if ok "$$d"; then echo "$$d"; exit; fi; done)
MVN := JAVA_HOME=$(JDK) mvn -B -ntp
JAR := bootstrap/target/relaymesh.jar
CONFIG ?= config/standalone.yaml
# G1 hands unused heap back after a collection (idle connections: ~25 KB RSS each instead of ~31 KB).
JVM_OPTS ?= --enable-native-access=ALL-UNNAMED -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20
SOURCES := $(shell find pom.xml */pom.xml adapters/*/pom.xml proto domain application adapters bootstrap/src -type f \( -name '*.java' -o -name '*.xml' -o -name '*.proto' -o -name '*.html' -o -name '*.yaml' -o -name '*.js' -o -name '*.css' \) -not -path '*/target/*' -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: help tls-cert jdk browser-tools monitoring-tools docker-engine client-js build run test unit clean cluster cluster-down up down scale reload logs ps bench bench-compare bench-full bench-issue12

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

jdk:
	@if [ -z "$(JDK)" ]; then \
	  echo "error: Relaymesh needs a JDK 21 or newer (Helidon 4). None found in JAVA_HOME or under /usr/lib/jvm." >&2; \
	  echo "       Install one under /usr/lib/jvm (e.g. a Temurin 21+ JDK) or set JAVA_HOME to it." >&2; exit 1; fi
	@command -v mvn >/dev/null || { echo "error: Maven is missing (apt-get install -y maven)" >&2; exit 1; }

build: jdk $(JAR) ## build the runnable distribution: bootstrap/target/relaymesh.jar + lib/

$(JAR): $(SOURCES)
	$(MVN) -q install -DskipTests -DskipITs

run: build ## run standalone in the foreground (in-memory state; dashboards at http://localhost:8080/)
	@exec $(JDK)/bin/java $(JVM_OPTS) -jar $(JAR) --config $(CONFIG)

TLS_DIR ?= .tls
tls-cert: ## a self-signed certificate for localhost in .tls/ (git-ignored); then: RELAYMESH_SERVER_TLS_CERT_FILE=.tls/cert.pem RELAYMESH_SERVER_TLS_KEY_FILE=.tls/key.pem make run
	@mkdir -p $(TLS_DIR) && chmod 700 $(TLS_DIR)
	@openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1 \
		-keyout $(TLS_DIR)/key.pem -out $(TLS_DIR)/cert.pem 2>/dev/null
	@chmod 600 $(TLS_DIR)/key.pem
	@echo "wrote $(TLS_DIR)/cert.pem and $(TLS_DIR)/key.pem (valid 30 days). Run with:"
	@echo "  RELAYMESH_SERVER_TLS_CERT_FILE=$(TLS_DIR)/cert.pem RELAYMESH_SERVER_TLS_KEY_FILE=$(TLS_DIR)/key.pem make run"

cluster: build ## run a local cluster: redis-server, nats-server and two pods (HTTP 8080/8082, gRPC 50051/50052)
	@JAVA=$(JDK)/bin/java JVM_OPTS="$(JVM_OPTS)" deploy/local-cluster.sh up

cluster-down: ## stop the local cluster started by `make cluster`
	@deploy/local-cluster.sh down

# Docker Compose (deploy/): Redis, NATS, REPLICAS Relaymesh pods and a load balancer on one port.
REPLICAS ?= 2
# The keys and settings of the stack (generated on the first `make up`). Another file, with
# COMPOSE_PROJECT_NAME and PUBLIC_PORT in the environment, runs a second stack beside the first
# (the compose end-to-end test does).
ENV_FILE ?= deploy/.env
COMPOSE := docker compose -f deploy/docker-compose.yml --env-file $(ENV_FILE)
# Shell snippets of the compose targets: fail early, and say what to do, without Docker.
DOCKER_CHECK := command -v docker >/dev/null || { echo "error: the docker client is missing. Install Docker, or run a local cluster without it: make cluster" >&2; exit 1; }; \
  docker compose version >/dev/null 2>&1 || { echo "error: the Docker Compose plugin is missing ('docker compose version' failed). Install it, or run a local cluster without Docker: make cluster" >&2; exit 1; }; \
  docker info >/dev/null 2>&1 || { echo "error: no Docker engine is reachable ('docker info' failed). Start one, or run a local cluster without Docker: make cluster" >&2; exit 1; }
ENV_CHECK := [ -f $(ENV_FILE) ] || { echo "error: $(ENV_FILE) is missing, so nothing was started with 'make up' (it writes that file)" >&2; exit 1; }
# The keys every pod shares: generated once (openssl, else /dev/urandom) into deploy/.env, git-ignored;
# a file from before the cluster secret existed gets one appended.
ENV_CREATE := [ -f $(ENV_FILE) ] || { \
  echo "up: $(ENV_FILE) is missing; writing one with newly generated keys (git-ignored; keep it secret)"; \
  hex() { openssl rand -hex "$$1" 2>/dev/null || head -c "$$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }; \
  ( umask 077; { \
    echo "\# Written by 'make up' on $$(date -u +%Y-%m-%dT%H:%M:%SZ); see deploy/.env.example. Keep it secret."; \
    echo "RELAYMESH_AUTH_SECRET_TOKEN=$$(hex 24)"; \
    echo "RELAYMESH_AUTH_TOKEN_AES_KEY=$$(hex 32)"; \
    echo "RELAYMESH_AUTH_ADMIN_SECRET_TOKEN=$$(hex 24)"; \
    echo "RELAYMESH_AUTH_ADMIN_TOKEN_AES_KEY=$$(hex 32)"; \
    echo "RELAYMESH_AUTH_CLIENT_API_KEY=$$(hex 24)"; \
    echo "RELAYMESH_AUTH_ADMIN_CLIENT_API_KEY=$$(hex 24)"; \
    echo "RELAYMESH_SERVER_CLUSTER_SECRET=$$(hex 32)"; \
  } > $(ENV_FILE).tmp ) && mv $(ENV_FILE).tmp $(ENV_FILE); }; \
  grep -q '^RELAYMESH_SERVER_CLUSTER_SECRET=' $(ENV_FILE) || { \
  echo "up: $(ENV_FILE) has no RELAYMESH_SERVER_CLUSTER_SECRET (pods authenticate each other with it); adding one"; \
  hex() { openssl rand -hex "$$1" 2>/dev/null || head -c "$$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }; \
  echo "RELAYMESH_SERVER_CLUSTER_SECRET=$$(hex 32)" >> $(ENV_FILE); }

up: ## build the image, start Redis, NATS, REPLICAS=2 pods and a load balancer on :8080 (Docker)
	@$(DOCKER_CHECK)
	@$(ENV_CREATE)
	$(COMPOSE) up -d --build --wait --scale relaymesh=$(REPLICAS)
	@port=$${PUBLIC_PORT:-$$(sed -n 's/^PUBLIC_PORT=//p' $(ENV_FILE) | tail -n 1)}; \
	  echo "up: $(REPLICAS) Relaymesh pods behind http://localhost:$${port:-8080} (keys in $(ENV_FILE); make ps, make logs, make reload, make down)"

scale: ## change the number of pods of `make up` to REPLICAS, leaving the running ones alone (no rebuild)
	@$(DOCKER_CHECK); $(ENV_CHECK)
	$(COMPOSE) up -d --wait --no-build --no-recreate --scale relaymesh=$(REPLICAS)

reload: ## send SIGHUP to every pod of `make up`: each re-reads config/config.yaml (or RELAYMESH_CONFIG_FILE)
	@$(DOCKER_CHECK); $(ENV_CHECK)
	$(COMPOSE) kill -s HUP relaymesh

down: ## stop and remove the containers of `make up` (the Redis and NATS volumes are kept)
	@$(DOCKER_CHECK); $(ENV_CHECK)
	$(COMPOSE) down

logs: ## follow the logs of the containers of `make up`
	@$(DOCKER_CHECK); $(ENV_CHECK)
	$(COMPOSE) logs -f --tail=100

ps: ## list the containers of `make up`
	@$(DOCKER_CHECK); $(ENV_CHECK)
	$(COMPOSE) ps

# The dashboards' browser tests (DashboardBrowserIT): Node.js, Debian's Chromium and Firefox ESR,
# playwright-core and puppeteer-core from npm.
BROWSER_TESTS := bootstrap/src/test/browser
CHROMIUM ?= $(or $(CHROMIUM_PATH),/usr/bin/chromium)
FIREFOX ?= $(or $(FIREFOX_PATH),/usr/bin/firefox-esr)

browser-tools:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  echo "error: the dashboard browser tests need Node.js 18+ and npm (apt-get install -y nodejs npm)" >&2; exit 1; }
	@[ -x "$(CHROMIUM)" ] || { \
	  echo "error: the dashboard browser tests need Chromium at $(CHROMIUM) (apt-get install -y chromium, or set CHROMIUM_PATH)" >&2; exit 1; }
	@[ -x "$(FIREFOX)" ] || { \
	  echo "error: the dashboard browser tests need Firefox at $(FIREFOX) (apt-get install -y firefox-esr, or set FIREFOX_PATH)" >&2; exit 1; }

# The monitoring tests (MonitoringFilesTest, MonitoringIT): promtool and prometheus from Debian's prometheus package.
monitoring-tools:
	@command -v promtool >/dev/null && command -v prometheus >/dev/null || { \
	  echo "error: the monitoring tests need promtool and prometheus (apt-get install -y prometheus)" >&2; exit 1; }

# npm ci again whenever the lock file changes; npm writes node_modules/.package-lock.json.
$(BROWSER_TESTS)/node_modules/.package-lock.json: $(BROWSER_TESTS)/package-lock.json | browser-tools
	cd $(BROWSER_TESTS) && npm ci --no-audit --no-fund

# The JavaScript client SDK (clients/js, npm package @relaymesh/client): npm ci, then its type check,
# build, unit tests, size budget and the check that the dashboards' committed copy
# (assets/js/relaymesh-client.js) matches its sources. Its end-to-end tests (ClientSdkIT) run in
# mvn verify against the dist/ built here.
CLIENT_JS := clients/js

$(CLIENT_JS)/node_modules/.package-lock.json: $(CLIENT_JS)/package-lock.json | browser-tools
	cd $(CLIENT_JS) && npm ci --no-audit --no-fund

client-js: $(CLIENT_JS)/node_modules/.package-lock.json ## the JavaScript client SDK's checks: types, build, unit tests, size, dashboards' copy
	@node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)' || { \
	  echo "error: the client SDK's unit tests need Node.js 20.11 or newer (node:test mock timers); node --version says $$(node --version)" >&2; exit 1; }
	cd $(CLIENT_JS) && npm run verify

# The compose end-to-end test (ComposeStackIT: make up, scale, kill, SIGHUP, make down) needs a
# Docker engine with Compose v2. Without one it is skipped, and make test says so before and after
# the run; with CI=true make test fails at once instead.
DOCKER_ENGINE := docker info >/dev/null 2>&1 && docker compose version 2>/dev/null | grep -q ' v\?2\.'
NO_DOCKER_WARNING := echo "WARNING: no Docker engine with Compose v2 answers ('docker info', 'docker compose version'): ComposeStackIT is SKIPPED and make up stays untested. On these machines ../shared/docker-sandbox/setup.sh starts one (.ci/run does)." >&2

docker-engine:
	@if ! { $(DOCKER_ENGINE); }; then \
	  if [ "$$CI" = true ]; then \
	    echo "error: CI=true and no Docker engine with Compose v2 answers: the compose end-to-end test (ComposeStackIT) cannot run. On these machines ../shared/docker-sandbox/setup.sh starts one (.ci/run does)." >&2; exit 1; fi; \
	  $(NO_DOCKER_WARNING); fi

test: jdk browser-tools monitoring-tools docker-engine $(BROWSER_TESTS)/node_modules/.package-lock.json client-js ## run every test: the client SDK's (npm), unit (Surefire) and end-to-end (Failsafe: browser and SDK tests, make up under Docker Compose)
	$(MVN) verify
	@$(DOCKER_ENGINE) || $(NO_DOCKER_WARNING)

unit: jdk ## unit tests only
	$(MVN) test

bench: build ## load benchmark, under 10 min: idle, chat, broadcast, crosspod, churn; Relaymesh and Socket.IO side by side
	@JAVA_HOME=$(JDK) bench/run.sh suite $(BENCH_ARGS)

bench-compare: build ## only the Relaymesh / Socket.IO comparison (chat, broadcast, crosspod)
	@JAVA_HOME=$(JDK) bench/run.sh compare $(BENCH_ARGS)

bench-full: build ## the numbers for docs/BENCHMARKS.md (~8 min): make bench at full size, idle with 19,000 connections
	@JAVA_HOME=$(JDK) bench/run.sh suite --name=full --connections=19000 --settle-seconds=20 --chat-seconds=30 \
	  --step-seconds=10 --churn-seconds=30 $(BENCH_ARGS)

bench-issue12: jdk ## issue 12's closing-note numbers in one run (~7 min): chat across 2 pods, broadcast 50/150 ev/s, cold window, CPU per frame, idle at 19,000, JFR; builds with mvn package, installs nothing
	@JAVA_HOME=$(JDK) bench/run.sh issue12 $(BENCH_ARGS)

clean: jdk ## remove build output
	$(MVN) -q clean
