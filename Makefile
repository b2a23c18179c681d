# Stackwarden: the two commands first (`make run`, `make test`), then the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The Maven wrapper is generated, not committed: its properties file would name a repository host.
# The versions are pinned here; the URL is Maven's own default (or MVNW_REPOURL / your mirror settings).
MAVEN_VERSION := 3.9.11
WRAPPER_PLUGIN_VERSION := 3.3.4
MVN := ./mvnw -B -ntp
LAB := scripts/lab/lab.sh
JAR := target/quarkus-app/quarkus-run.jar
PORT ?= 8080

# Debian packages the tests need: promtool (prometheus) checks and unit-tests the alert rules.
TEST_PACKAGES := prometheus

.PHONY: help run test unit test-packages build image deploy undeploy bench browser lab-up lab-down lab-status lab-env lab-selftest clean

help:
	@echo "make run        start Stackwarden against examples/ (brings the lab up when no swarm manager is reachable)"
	@echo "make test       every test tier: unit, @QuarkusTest, integration tests on the lab"
	@echo "make unit       unit and @QuarkusTest tests only (no lab)"
	@echo "make build      package the application ($(JAR))"
	@echo "make image      build the Stackwarden image on the lab and push it to the lab registry"
	@echo "make deploy     install Stackwarden on the lab as a swarm service (k8s-free-deploy/), following a Git remote"
	@echo "make undeploy   remove it again (stack, secrets, lease, state, volumes)"
	@echo "make bench      drift-to-fix and webhook-to-first-write latency, scale beside the CLI on the lab, node return to rebalanced, stuck shim to fix, slow HTTP clients, dashboard load, failover"
	@echo "make lab-up | lab-down | lab-status | lab-env"

mvnw:
	mvn -B -q -N org.apache.maven.plugins:maven-wrapper-plugin:$(WRAPPER_PLUGIN_VERSION):wrapper \
	  -Dmaven=$(MAVEN_VERSION) -Dtype=only-script

build: mvnw
	$(MVN) -q package -DskipTests

test-packages:
	@bash scripts/ensure-packages.sh $(TEST_PACKAGES)

unit: mvnw test-packages
	$(MVN) verify

# Integration tests read DOCKER_HOST / LAB_REGISTRY of the lab, never the machine's own engine.
test: mvnw test-packages lab-up browser
	set -a; eval "$$($(LAB) env)"; set +a; \
	  STACKWARDEN_LAB="$(CURDIR)/$(LAB)" $(MVN) verify -DskipITs=false

run: mvnw
	@set -e; \
	if [ -n "$$DOCKER_HOST" ] && [ "$$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then \
	  echo "Using the swarm manager at DOCKER_HOST=$$DOCKER_HOST"; \
	else \
	  $(MAKE) --no-print-directory lab-up; eval "$$($(LAB) env)"; export DOCKER_HOST LAB_REGISTRY; \
	fi; \
	$(MVN) -q package -DskipTests; \
	echo "Stackwarden on http://localhost:$(PORT)  (dashboard: /  health: /q/health/ready  metrics: /q/metrics  API: /api/v1/stacks)"; \
	STACKWARDEN_DESIRED_DIR="$(CURDIR)/examples" QUARKUS_HTTP_PORT=$(PORT) exec java @src/main/docker/jvm.options -jar $(JAR)

# Every benchmark in turn, in about 15 minutes on the lab (rounds chosen for that; each can be raised):
# drift-to-fix and webhook-to-first-write latency and the push to service updated (ROUNDS);
# scale beside docker stack deploy (SIZES, SCALE_ROUNDS); node return to rebalanced (REBALANCE_ROUNDS);
# a stuck shim to its fix through the node agent (STUCK_ROUNDS);
# then slow and fast HTTP clients side by side (no lab needed for that one);
# then the dashboard's load with STACKS (300) stacks in headless Chromium; then failover and restart-to-ready of the
# deployed service on a second lab of three managers (FAILOVER_ROUNDS; scripts/lab/ha-lab.sh, purged after).
ROUNDS ?= 5
SCALE_ROUNDS ?= 2
REBALANCE_ROUNDS ?= 3
STUCK_ROUNDS ?= 3
FAILOVER_ROUNDS ?= 2
bench: mvnw lab-up browser
	$(MVN) -q package -DskipTests
	set -a; eval "$$($(LAB) env)"; ROUNDS=$(ROUNDS) SCALE_ROUNDS=$(SCALE_ROUNDS) REBALANCE_ROUNDS=$(REBALANCE_ROUNDS) \
	  STUCK_ROUNDS=$(STUCK_ROUNDS) FAILOVER_ROUNDS=$(FAILOVER_ROUNDS); set +a; \
	  bash bench/drift.sh && bash bench/webhook.sh && bash bench/scale.sh && bash bench/imageupdate.sh && bash bench/rebalance.sh && bash bench/stuckshim.sh && bash bench/slowclients.sh && bash bench/dashboard.sh && bash bench/failover.sh

lab-up:
	@bash $(LAB) up

# Headless Chromium and its driver (Debian's packages) for the dashboard's browser tests and bench.
browser:
	@bash $(LAB) browser

lab-down:
	@bash $(LAB) down

lab-status:
	@bash $(LAB) status

lab-env:
	@bash $(LAB) env

# An end-to-end check of the lab itself (deploys, faults); prints N passed, M failed.
lab-selftest: lab-up
	@bash scripts/lab/selftest.sh

clean:
	rm -rf target

# The Stackwarden image, built by the lab's manager on the lab's JRE image and pushed to the lab registry
# (skipped when the image of these very files is there already).
image: build
	@set -e; eval "$$($(LAB) env)"; bash $(LAB) stackwarden-image >/dev/null; \
	echo "STACKWARDEN_IMAGE=$$LAB_REGISTRY/stackwarden:dev"

# Stackwarden as a swarm service on the lab, as k8s-free-deploy/README.md installs it (scripts/deploy.sh says how).
deploy: image
	@bash scripts/deploy.sh deploy

undeploy:
	@bash scripts/deploy.sh undeploy
