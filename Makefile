# The two commands a fresh machine needs: `make play` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: play test fuzz bench sim clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

play: $(STAMP)
	$(BIN)/compute-race

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 -rs

# Random examples, many more of them, for about FUZZ_MINUTES minutes (default 10): `make fuzz FUZZ_MINUTES=60`.
fuzz: $(TEST_STAMP)
	$(BIN)/python -m tests.fuzz.run

# The engine with its compiled kernels (numba, the `fast` extra): the figures the speed targets are measured by.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[fast]"
	$(BIN)/compute-race bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache
