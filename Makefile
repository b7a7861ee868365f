# Two entry points: `make demo` (check the bundled examples) and `make test`.
PYTHON ?= python3
VENV := .venv
# CPU build of PyTorch for the ml extra: 2.13.0 is the one this kind of machine has on disk
# (2.13.0+cpu); an unpinned torch pulls the newest release with GBs of CUDA packages
TORCH ?= torch==2.13.0
BIN := $(VENV)/bin

.PHONY: demo test accuracy precision lint install clean

$(BIN)/gouji: pyproject.toml setup.py src/gouji/ingest/_pdfium_calls.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,ml,ocr,cluster]' '$(TORCH)'
	touch $(BIN)/gouji

install: $(BIN)/gouji

demo: install
	$(BIN)/gouji check examples/ || test $$? -eq 1

# make test installs the ml extra, so the model tests must run, not skip
test: install
	$(BIN)/ruff check src tests
	GOUJI_REQUIRE_MODELS=1 $(BIN)/python -m pytest

# planted-defect benchmark on the examples; fails when recall falls below benchmarks/accuracy/baseline.json
accuracy: install
	$(BIN)/ruff check benchmarks
	$(BIN)/python -m benchmarks.accuracy.run --examples-only --check

# judged-corpus guard: fails when a finding judged false is an error, a judged true finding is
# lost, or an error is unjudged; says so and passes when ../shared/corpus is absent
precision: install
	$(BIN)/python -m benchmarks.precision --check

clean:
	rm -rf $(VENV) build *.egg-info
