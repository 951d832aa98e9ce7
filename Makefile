# Two commands: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit gui end2end demo screenshot bench-refresh bench-suggest package clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian/Ubuntu run: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/smarketing-desktop

test: $(STAMP) lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit gui end2end: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/$@

# A throwaway workspace with the sample data, opened in the window.
demo: $(STAMP)
	rm -rf .home/demo
	$(BIN)/smarketing --home .home/demo demo
	$(BIN)/smarketing-desktop --home .home/demo

# Renders the window on the sample workspace into docs/screenshot-*.png.
screenshot: $(STAMP)
	$(BIN)/python docs/take_screenshot.py docs

# Benchmarks print figures; they are not tests. The peers they compare against are in [bench].
$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

bench-refresh: $(VENV)/.bench
	$(BIN)/python -m bench.refresh

bench-suggest: $(STAMP)
	$(BIN)/python -m bench.suggest

# A one-folder program in build/dist/smarketing-desktop, smoke-tested after the build.
$(VENV)/.package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	@touch $@

package: $(VENV)/.package
	PY=$(BIN)/python bash packaging/build.sh

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache *.egg-info
