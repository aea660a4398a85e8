# Front door. `make` runs the whole suite; `make test` runs every test.
# Both create (or reuse) the local virtual environment .venv by themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('pyproject.toml','rb').read()).hexdigest()[:12])")

.PHONY: all run test lint bench clean-venv
all: run

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }
	@echo "installing dependencies into $(VENV) (about a minute the first time)"
	@PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip install -q -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import analysis, pandas, nbval" || { echo "error: install into $(VENV) failed" >&2; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	@$(BIN)/python -m analysis run

test: $(STAMP)
	@$(BIN)/python -m pytest

lint: $(STAMP)
	@$(BIN)/ruff check .

bench: $(STAMP)
	@$(BIN)/python tools/bench_quantities.py
	@$(BIN)/python tools/bench_suite.py

clean-venv:
	rm -rf $(VENV)
