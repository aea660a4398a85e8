# Front door. `make` runs the whole suite; `make test` runs every test.
# Both create (or reuse) the local virtual environment .venv by themselves and install exactly uv.lock.
#
# uv itself lives in its own small venv, .uv/ (bootstrapped with pip, pinned below), not in .venv:
# `uv sync` makes .venv exactly the lock and would otherwise remove uv from it.
PYTHON     ?= python3
UV_VERSION := 0.13.9
VENV       := .venv
BIN        := $(VENV)/bin
UV         := .uv/bin/uv
# Re-install only when the lock (or the project's own metadata) changes: the stamp is keyed on their hash.
STAMP      := $(VENV)/.installed-$(shell cat uv.lock pyproject.toml | sha256sum | cut -c1-12)
# Never download a Python, never touch the network for anything but the packages in the lock;
# compile bytecode at install (the environment sets PYTHONDONTWRITEBYTECODE: without it every kernel
# imports pandas, matplotlib and seaborn 3x slower, every time).
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Let Python cache bytecode (git-ignored __pycache__/) for what make and the tests run: where the environment
# sets PYTHONDONTWRITEBYTECODE, every kernel and test process compiled the package again, and pytest rewrote
# every test module's asserts again (collection 5.4 s -> 3.2 s per process, measured).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: all run test lint lock bench site docs clean-venv
all: run

$(UV):
	@$(PYTHON) -m venv .uv || { \
	  echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }
	@PIP_DISABLE_PIP_VERSION_CHECK=1 .uv/bin/python -m pip install -q "uv==$(UV_VERSION)" 2>&1 \
	  | grep -v "^WARNING: Location" || true
	@test -x $(UV) || { echo "error: could not install uv==$(UV_VERSION) into .uv with pip" >&2; exit 1; }

$(STAMP): uv.lock pyproject.toml | $(UV)
	@echo "installing uv.lock into $(VENV)"
	@$(UV) sync --locked --extra test --python "$$(command -v $(PYTHON))" -q || { \
	  echo "error: install into $(VENV) failed (if pyproject.toml changed, run 'make lock' first)" >&2; exit 1; }
	@$(BIN)/python -c "import analysis, pandas, nbval" || { echo "error: install into $(VENV) failed" >&2; exit 1; }
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	@$(BIN)/python -m analysis run

test: $(STAMP)
	@$(BIN)/python -m pytest

# The static site (build/site, git-ignored): every notebook as HTML, the charts, the workbook and one provenance
# review page per article. Offline at build and view time. Builds from what `make` wrote (run `make` first).
site: $(STAMP)
	@$(BIN)/python -m analysis site

# The reference pages docs/reference/*.md (codebook, vocabularies, fields, sources), written from data/ and the schema.
# Run it after changing any of them and commit the pages; `python -m analysis docs --check` (and a test) says if one is stale.
docs: $(STAMP)
	@$(BIN)/python -m analysis docs

lint: $(STAMP)
	@$(BIN)/ruff check .

# After editing dependencies in pyproject.toml (or to bump: `make lock UPGRADE=--upgrade-package pandas`):
# re-resolve uv.lock and re-export the pinned requirements the conda route installs.
lock: | $(UV)
	@$(UV) lock $(UPGRADE) --python "$$(command -v $(PYTHON))"
	@$(UV) export --locked --format requirements-txt --extra test --no-hashes --no-emit-project \
	  --no-header -q -o requirements-lock.txt

bench: $(STAMP)
	@$(BIN)/python tools/bench_quantities.py
	@$(BIN)/python tools/bench_propose.py
	@$(BIN)/python tools/bench_corpus.py
	@$(BIN)/python tools/bench_suite.py
	@$(BIN)/python tools/bench_tests.py
	@$(BIN)/python tools/bench_install.py

clean-venv:
	rm -rf $(VENV) .uv
