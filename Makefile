# arabic-news — every target creates the virtual environment itself when it is missing.
SHELL := /bin/bash
PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.arabic-news-installed
# Installed with --no-deps: camel-tools hard-depends on torch+transformers, which the parts we use never import.
NODEPS := requirements-nodeps.txt

# BERTopic lives in its own environment (torch, sentence-transformers, transformers: none of them in .venv);
# only benchmarks/bench_bertopic.py uses it, as a peer in the topics benchmark.
BERTOPIC_VENV ?= .venv-bertopic
BERTOPIC_PY := $(BERTOPIC_VENV)/bin/python
BERTOPIC_STAMP := $(BERTOPIC_VENV)/.bertopic-installed

# Main-job parameters (override on the command line: make reports CORPUS=path/to/folder OUT=my_report)
CORPUS ?=
OUT ?= reports
SAMPLE ?=
SEED ?= 42

.PHONY: setup reports test test-fast lab bench bertopic-env bench-bertopic clean-venv

setup: $(STAMP)

$(STAMP): requirements.lock $(NODEPS) pyproject.toml
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	# camel-tools without its torch/transformers dependencies (the parts we use need neither)
	$(PY) -m pip install --quiet --no-deps -r $(NODEPS)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name arabic-news --display-name "Python (arabic-news)" >/dev/null
	@touch $(STAMP)

reports: $(STAMP)
	$(VENV)/bin/arabic-news report $(if $(CORPUS),"$(CORPUS)",) --out "$(OUT)" $(if $(SAMPLE),--sample $(SAMPLE),) --seed $(SEED)

# Unit tests + every notebook under nbval (on the small development sample). pytest's exit code 5
# ("no tests collected") is not a failure here.
test: $(STAMP)
	$(PY) -m pytest tests --nbval-lax notebooks --nbval-current-env --nbval-cell-timeout=600 -p no:cacheprovider; \
	status=$$?; if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$status

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# torch==2.13.0 first: that CPU wheel lies on this machine's disk; a plain `torch` (or one pulled in by
# sentence-transformers) would be a multi-GB CUDA build. bertopic then finds its torch requirement satisfied.
bertopic-env: $(BERTOPIC_STAMP)

$(BERTOPIC_STAMP):
	@test -x $(BERTOPIC_PY) || $(PYTHON_BOOT) -m venv $(BERTOPIC_VENV)
	$(BERTOPIC_PY) -m pip install --quiet --upgrade "pip>=24"
	$(BERTOPIC_PY) -m pip install --quiet torch==2.13.0
	$(BERTOPIC_PY) -m pip install --quiet "bertopic==0.17.*" psutil
	@if $(BERTOPIC_PY) -m pip list 2>/dev/null | grep -i nvidia; then \
		echo "error: CUDA packages (nvidia-*) in $(BERTOPIC_VENV); remove it and install torch==2.13.0 (CPU) first"; exit 1; fi
	@$(BERTOPIC_PY) -c "import torch; assert not torch.version.cuda, torch.version.cuda"
	@touch $@

bench-bertopic: $(STAMP) $(BERTOPIC_STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 $(PY) benchmarks/bench_bertopic.py

clean-venv:
	rm -rf $(VENV)
