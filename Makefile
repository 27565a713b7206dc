# The two commands a newcomer needs:   make up   (start the system)   and   make test   (run every test).
.PHONY: up down status test test-unit lint contracts bench deps servers

export TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
export TEST_AMQP_URL ?= amqp://guest:guest@127.0.0.1:5672/

deps:
	@scripts/bootstrap.sh

servers:
	@scripts/ensure-servers.sh

## Start every service (HTTP API, event worker, outbox relay) against local PostgreSQL and RabbitMQ.
up: deps servers
	@scripts/system.sh start

down:
	@scripts/system.sh stop

status:
	@scripts/system.sh status

## Run every test: unit, contract, integration (real PostgreSQL and RabbitMQ) and end to end.
test: deps servers
	.venv/bin/pytest

test-unit: deps
	.venv/bin/pytest -m "unit or contract"

## Lint: ruff, ruff format, mypy --strict over the sources and every test tree, and the import contracts.
lint: deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy shared/src services/*/src benchmarks
	@# Each test tree on its own (their conftest modules share a name); MYPYPATH makes `.conftest` resolve.
	@for tree in shared/tests services/*/tests tests; do \
	  echo ".venv/bin/mypy $$tree"; MYPYPATH=$$tree .venv/bin/mypy --explicit-package-bases $$tree || exit 1; \
	done
	.venv/bin/lint-imports

## Rewrite the contract snapshots after an additive change (refuses a breaking one).
contracts: deps
	.venv/bin/python -m shared.contracts.snapshots

bench: deps servers
	.venv/bin/python benchmarks/outbox_throughput.py
