# Two entry points: `make demo` (check the bundled examples) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test accuracy lint install clean

$(BIN)/gouji: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/gouji

install: $(BIN)/gouji

demo: install
	$(BIN)/gouji check examples/ || test $$? -eq 1

test: install
	$(BIN)/ruff check src tests
	$(BIN)/python -m pytest

# planted-defect benchmark on the examples; fails when recall falls below benchmarks/accuracy/baseline.json
accuracy: install
	$(BIN)/ruff check benchmarks
	$(BIN)/python -m benchmarks.accuracy.run --examples-only --check

clean:
	rm -rf $(VENV) build *.egg-info
