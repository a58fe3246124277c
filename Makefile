# kfcheck developer targets. `make test` is the README's test command.
PYTHON ?= python3

.PHONY: install test lint typecheck unit corpus check-corpus record gen check-gen bench

install:
	$(PYTHON) -m pip install -q -e '.[test]'

test: install lint typecheck unit

lint:
	$(PYTHON) -m ruff check src tests bench

typecheck:
	$(PYTHON) -m mypy src

unit:
	$(PYTHON) -m pytest -q
