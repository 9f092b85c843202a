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
SOURCES := $(shell find pom.xml */pom.xml adapters/*/pom.xml proto domain application adapters bootstrap/src -type f \( -name '*.java' -o -name '*.xml' -o -name '*.proto' -o -name '*.html' -o -name '*.yaml' -o -name '*.js' -o -name '*.css' \) -not -path '*/target/*' 2>/dev/null)

.PHONY: help jdk build run test unit clean cluster cluster-down

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

jdk:
	@if [ -z "$(JDK)" ]; then \
	  echo "error: Relaymesh needs a JDK 21 or newer (Helidon 4). None found in JAVA_HOME or under /usr/lib/jvm." >&2; \
	  echo "       Install one under /usr/lib/jvm (e.g. a Temurin 21+ JDK) or set JAVA_HOME to it." >&2; exit 1; fi
	@command -v mvn >/dev/null || { echo "error: Maven is missing (apt-get install -y maven)" >&2; exit 1; }

build: jdk $(JAR) ## build the runnable distribution: bootstrap/target/relaymesh.jar + lib/

$(JAR): $(SOURCES)
	$(MVN) -q install -DskipTests

run: build ## run standalone in the foreground (in-memory state; dashboards at http://localhost:8080/)
	@exec $(JDK)/bin/java --enable-native-access=ALL-UNNAMED -jar $(JAR) --config $(CONFIG)

cluster: build ## run a local cluster: redis-server, nats-server and two pods (HTTP 8080/8082, gRPC 50051/50052)
	@JAVA=$(JDK)/bin/java deploy/local-cluster.sh up

cluster-down: ## stop the local cluster started by `make cluster`
	@deploy/local-cluster.sh down

test: jdk ## run every test: unit (Surefire) and end-to-end (Failsafe)
	$(MVN) verify

unit: jdk ## unit tests only
	$(MVN) test

clean: jdk ## remove build output
	$(MVN) -q clean
