# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean baseline gate

# The regression gate's committed baseline: the bundled interview with the default summarizers.
BASELINE := results/interview.baseline.json

# Rebuilt whenever pyproject.toml or the native core changes.
$(STAMP): pyproject.toml setup.py harness/scoring/_rouge.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dask,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/harness run

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Write the baseline again (after an intended change of scores or of the signature).
baseline: $(STAMP)
	$(BIN)/harness run --out runs/baseline --quiet > /dev/null
	$(BIN)/harness check runs/baseline --baseline $(BASELINE) --update-baseline

# The gate as CI runs it (tests/test_gate.py runs the same inside `make test`).
gate: $(STAMP)
	$(BIN)/harness run --out runs/gate --quiet > /dev/null
	$(BIN)/harness check runs/gate --baseline $(BASELINE)

bench: $(STAMP)
	$(BIN)/python benchmarks/scoring.py

clean:
	rm -rf $(VENV) runs .harness-cache
