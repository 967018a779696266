# arabic-news — every target creates the virtual environment itself when it is missing.
SHELL := /bin/bash
PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.arabic-news-installed
# Installed with --no-deps: camel-tools hard-depends on torch+transformers, which the parts we use never import.
NODEPS := requirements-nodeps.txt

# Main-job parameters (override on the command line: make reports CORPUS=path/to/folder)
CORPUS ?=
SAMPLE ?=
SEED ?= 42

.PHONY: setup reports test test-fast lab bench clean-venv

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
	$(VENV)/bin/arabic-news report $(if $(CORPUS),"$(CORPUS)",) --out reports $(if $(SAMPLE),--sample $(SAMPLE),) --seed $(SEED)

# Unit tests + every notebook under nbval (on the small development sample). pytest's exit code 5
# ("no tests collected") is not a failure here.
test: $(STAMP)
	$(PY) -m pytest tests --nbval-lax notebooks --nbval-current-env --nbval-cell-timeout=600 -p no:cacheprovider; \
	status=$$?; if [ $$status -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$status

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)
