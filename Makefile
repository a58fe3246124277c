# kfcheck developer targets. `make test` is the README's test command.
# Everything runs in a virtual environment (.venv), so a system Python that refuses pip
# installs (PEP 668, as on Debian 12) is no obstacle.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
OBJECT_DIRS := tests/isa/progs tests/obj/progs tests/link/progs tests/verifier/progs
# The checked-in generated C speaks for the reference build, whatever kernel runs make.
GEN_PROFILE := 6.18.44-fc-v595

.PHONY: install test lint layers typecheck unit objects check-objects record record-logs gen bench

$(PYTHON):
	python3 -m venv $(VENV)

install: $(PYTHON)
	$(PYTHON) -m pip install -q -e '.[test]'

# Everything CI runs: set-up, lint, types, tests.
test: install lint layers typecheck unit

lint:
	$(PYTHON) -m ruff check src tests bench

# The import layers of pyproject.toml's [tool.importlinter] contract.
layers:
	$(VENV)/bin/lint-imports

typecheck:
	$(PYTHON) -m mypy src tests

unit:
	$(PYTHON) -m pytest -q

# Rebuild every committed BPF object with clang-19 (corpus, examples, test programs).
objects:
	$(MAKE) -C tests/corpus all examples
	for d in $(OBJECT_DIRS); do $(MAKE) -C $$d || exit 1; done

# Check the committed objects are what their sources build to, from another path.
check-objects:
	$(MAKE) -s -C tests/corpus check
	tools/check-objects.sh $(OBJECT_DIRS)

# Record the running kernel build (needs root and bpf()) into tests/records/<release>/: the
# oracle's and the libbpf reference loader's verdicts on the corpus, and a probe run.
record: install
	$(MAKE) -C tests/corpus record verdicts PYTHON=$(abspath $(PYTHON))
	$(PYTHON) -m kfcheck table probe --save tests/records/$$(uname -r)/probe.json > /dev/null

# Record the running kernel's level-2 verifier logs of a few accepted corpus programs (root)
# into tests/records/<release>/logs/, for tests/verifier/test_verifier_log.py.
record-logs: install
	$(PYTHON) tests/tools/verifier_logs.py

# Regenerate the checked-in C generated from the kfunc table.
gen: install
	KFCHECK_PROFILE=$(GEN_PROFILE) $(PYTHON) -m kfcheck table gen-c --style kernel \
		> gen/linux-6.18/kfuncs_kernel.c
	KFCHECK_PROFILE=$(GEN_PROFILE) $(PYTHON) -m kfcheck table gen-c --style def \
		> gen/linux-6.18/kfuncs_def.c
	KFCHECK_PROFILE=$(GEN_PROFILE) $(PYTHON) bench/bench_lookup.py \
		--keep-c bench/lookup_generated.c > /dev/null

# Benchmarks, side by side, reporting ratios.
bench: install
	$(PYTHON) bench/bench_btf.py
	$(PYTHON) bench/bench_profile.py
	$(PYTHON) bench/bench_lookup.py
	$(PYTHON) bench/bench_oracle.py
	$(PYTHON) bench/bench_verifier.py
