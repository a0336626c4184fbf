# `make` sets everything up (a virtual environment in .venv/) and runs the main job on
# corpus/ into outputs/; `make test` runs the tests. Only python3 (3.11+), bash and make
# are needed; packages install from PyPI.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: all setup run test fuzz wheel eval eval-ner train-ner bench bench-cold bench-batch bench-scale report clean

all: run

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

run: setup
	$(BIN)/baozhi run corpus --out outputs

test: setup
	$(BIN)/python -m pytest

# dist/baozhi-VERSION-py3-none-any.whl: code, rules and model (tests/test_packaging.py checks it)
wheel: setup
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .

# the property tests of tests/faults with many examples and random seeds, statistics printed
# (FUZZ_EXAMPLES per property: 3000 take about 1 min, 10000 about 4 min on two cores)
FUZZ_EXAMPLES ?= 3000
fuzz: setup
	BAOZHI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider \
	  tests/faults/test_properties.py --hypothesis-show-statistics

eval: setup
	$(BIN)/python scripts/eval_peers.py

eval-ner: setup
	$(BIN)/python scripts/eval_ner.py

train-ner: setup
	$(BIN)/python scripts/train_ner.py

bench: setup
	$(BIN)/python scripts/bench_stages.py --clock cpu

# cold start of `baozhi annotate`, side by side: BASE=/path/to/other/venv/bin/python
bench-cold: setup
	$(BIN)/python scripts/bench_cold.py $(if $(BASE),--python $(BASE)) --python $(BIN)/python

bench-batch: setup
	$(BIN)/python scripts/bench_batch.py

# pages per CPU-second and peak RSS of `baozhi run` (docs/SCALE.md); EXECUTOR=dask WORKERS=2
EXECUTOR ?= local
WORKERS ?= 1
bench-scale: setup
	$(BIN)/python scripts/bench_scale.py --executor $(EXECUTOR) --workers $(WORKERS)

report: setup
	$(BIN)/baozhi report --out outputs

clean:
	rm -rf $(VENV) build dist *.egg-info outputs/*.csv outputs/*.jsonl outputs/*.sqlite outputs/.state
