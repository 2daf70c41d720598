# Confide: `make run` starts the app, `make test` runs the tests. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DIST_STAMP := $(VENV)/.installed-dist

.PHONY: run test lint bench dist clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/confide

# lint-imports checks the layer rules in pyproject.toml ([tool.importlinter]); the whole
# graph takes a fraction of a second, so it keeps no cache folder.
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n auto
	$(BIN)/ruff check app tests bench tools
	$(BIN)/lint-imports --no-cache

lint: $(STAMP)
	$(BIN)/ruff check app tests bench tools
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.run

# The Linux bundle: dist/confide/ (run dist/confide/confide, or its install.sh) and the same
# folder as dist/confide-VERSION-linux-ARCH.tar.gz for office computers.
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,dist]"
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	rm -rf dist/confide dist/confide-*.tar.gz build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller installer/confide.spec
	cp installer/confide.desktop dist/confide/
	cp installer/install-linux.sh dist/confide/install.sh
	cp LICENSE dist/confide/
	version=$$($(BIN)/python -c "import app; print(app.__version__)"); \
	tar -C dist -czf "dist/confide-$$version-linux-$$(uname -m).tar.gz" confide
	@du -sh dist/confide dist/confide-*.tar.gz

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
