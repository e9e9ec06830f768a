# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast bench clean baseline gate sanitize docs

# The regression gate's committed baseline: the bundled interview with the default summarizers.
BASELINE := results/interview.baseline.json

# `make run` (and gate, baseline) installs the runtime dependencies only; `make test` (and docs, sanitize)
# adds the test, dask and docs extras the tests exercise; `make bench` adds the bench extra (its peers).
# Rebuilt whenever pyproject.toml or the native core changes.
RUN_STAMP := $(VENV)/.installed-run
$(RUN_STAMP): pyproject.toml setup.py harness/scoring/_rouge.c harness/rouge155/_kernels.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip uninstall -q -y harness 2>/dev/null || true  # the distribution's name before 0.1.0 shipped
	$(BIN)/python -m pip install -q -e .
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -e '.[test,dask,docs]'
	touch $(STAMP)

BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $(BENCH_STAMP)

run: $(RUN_STAMP)
	$(BIN)/harness run

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The fast set, for a developer's edit-test loop: everything but the tests marked slow.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# Write the baseline again (after an intended change of scores or of the signature).
baseline: $(RUN_STAMP)
	$(BIN)/harness run --out runs/baseline --quiet > /dev/null
	$(BIN)/harness check runs/baseline --baseline $(BASELINE) --update-baseline

# The gate as CI runs it (tests/test_gate.py runs the same inside `make test`).
gate: $(RUN_STAMP)
	$(BIN)/harness run --out runs/gate --quiet > /dev/null
	$(BIN)/harness check runs/gate --baseline $(BASELINE)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/scoring.py
	$(BIN)/python benchmarks/end_to_end.py

# The manual (docs/) as a site in build/site/; `$(BIN)/mkdocs serve` while editing.
docs: $(STAMP)
	$(BIN)/mkdocs build --strict

# The C core built with AddressSanitizer and UndefinedBehaviorSanitizer (gcc), run through its tests
# against NLTK, rouge-score and the pure-Python engine: any memory error or undefined behaviour fails.
ASAN_LIB = build/asan/lib
sanitize: $(STAMP)
	rm -rf build/asan
	CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -g" $(BIN)/python setup.py -q build_ext \
		--build-lib $(ASAN_LIB) --build-temp build/asan/tmp
	cp -rn harness $(ASAN_LIB)/
	cd $(ASAN_LIB) && export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)"; \
	$(CURDIR)/$(BIN)/python -c "import harness.scoring._rouge as m; assert 'build/asan' in m.__file__, m.__file__" && \
	$(CURDIR)/$(BIN)/python -m pytest -q -p no:cacheprovider --rootdir $(CURDIR) \
		$(CURDIR)/tests/test_scoring_native.py $(CURDIR)/tests/test_scoring_parity.py -k "not 20000"

clean:
	rm -rf $(VENV) runs .harness-cache
