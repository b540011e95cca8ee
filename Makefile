# Two commands for students (make lab, make test); for teachers and authors make html, make wheels,
# make test-repeat, make test-machines, make execute and make lock. Each creates .venv on first use and
# installs requirements.txt, with every package pinned by constraints.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The course site's generator and browser driver (requirements-site.txt), for make html and make test-site.
SITE_STAMP := $(VENV)/.installed-site
# pip itself is pinned too, so that next year's pip resolves and builds as today's did.
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
LOCK_VENV := .venv-lock
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb) $(wildcard notebooks/solutions/[0-9][0-9]_*.ipynb))
# make html writes the offline pages here.
HTML_DIR := html
# Extra flags for JupyterLab, e.g. make lab JUPYTER_ARGS="--no-browser --port=8890"
JUPYTER_ARGS ?=
# Jupyter refuses to start as root (common in containers) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test test-repeat test-machines test-site test-grade test-korean grade html wheels execute korean run-times lock install clean

# The course's models are tiny: one CPU thread per process is as fast as two on an
# idle machine, and does not slow to a crawl when the machine is busy.
test test-repeat test-machines test-korean execute: export OMP_NUM_THREADS = 1
# Every test process starts with tests/startup/sitecustomize.py (the network blocked, a slow import skipped);
# set on the command, not the target, so that installing packages (a prerequisite) still reaches the network.
TEST_ENV := PYTHONPATH="$(CURDIR)/tests/startup"

install: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run make PYTHON=python3.11 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(BIN)/python -m pip install --quiet -r requirements-site.txt
	touch $(SITE_STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT) $(JUPYTER_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/python -m pytest

# Every notebook under nbval three times in a row: no run may depend on what an earlier one left.
test-repeat: $(STAMP)
	for run in 1 2 3; do echo "== run $$run of 3"; $(TEST_ENV) $(BIN)/python -m pytest notebooks -q || exit 1; done

# Every lab and solutions notebook under nbval as other machines would run it: PyTorch's CPU kernels
# capped to each instruction set this processor has (default, avx2, avx512), and GPU-like rounding
# (weights nudged by 1e-6 after every optimizer step), each with seed shifts 0, 1 and 2. It first
# proves that every setting changes the numbers, and writes machine-runs/report.md. CI runs it after
# make test; it takes about 20 minutes on 2 cores.
test-machines: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -m machines -p no:cacheprovider -n 0 tests/test_machines.py
	$(BIN)/python tests/machines.py

# The course site make html builds, checked as files and in Debian's Chromium (driven by Selenium, every
# page from file:// with the network unreachable): formulas typeset, images decoded, no console error,
# sidebar, previous/next, search, dark theme, no sideways scroll at phone width; a screenshot of each lab
# goes to site-screenshots/. Without Chromium the browser tests are skipped with a reason (under CI=true
# they fail). Also the diagrams script. CI runs it after make test.
test-site: $(SITE_STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -m site -p no:cacheprovider

# Grade a class: make grade SUBMISSIONS=folder [REPORT=grades] [LAB=03] [TIME_LIMIT=600] [MEMORY_LIMIT=4]
# [JOBS=2]. Every submitted notebook runs in a fresh kernel (time limit in seconds, memory limit in GiB,
# network blocked); its checks run from a private copy of the course's code. Writes REPORT/grades.csv,
# REPORT/summary.md and the executed copies (see README). Paths are relative to the course folder.
SUBMISSIONS ?=
REPORT ?= grades
LAB ?=
TIME_LIMIT ?= 600
MEMORY_LIMIT ?= 4
JOBS ?=
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [REPORT=grades] [LAB=03]"; exit 2; }
	$(BIN)/python -m course_utils.grading "$(SUBMISSIONS)" --report "$(REPORT)" $(if $(LAB),--lab $(LAB)) \
		--time-limit $(TIME_LIMIT) --memory-limit $(MEMORY_LIMIT) $(if $(JOBS),--jobs $(JOBS))

# Grades a generated class of Lab 00 submissions (correct, wrong, empty, broken, cheating) with real
# kernels and checks the table cell by cell (about a minute on 2 cores). CI runs it after make test.
test-grade: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -m grade -p no:cacheprovider -n 0 tests/test_grading.py

# The course site: every executed notebook as a page (Sphinx, MyST-NB and the book theme), with a sidebar,
# previous/next links, search and light and dark themes, that reads without internet. Open html/index.html.
html: $(SITE_STAMP)
	$(BIN)/python -m course_utils.course_site $(HTML_DIR)

# For a classroom without internet: download every pinned package once into wheels/, then on each
# machine run PIP_NO_INDEX=1 PIP_FIND_LINKS=wheels make lab (the course itself is installed from .).
wheels: $(STAMP)
	$(BIN)/python -m pip download --quiet --dest wheels \
		-c constraints.txt $$(grep -v -e '^#' -e '^-' requirements.txt) pip==$(PIP_VERSION) setuptools==84.2.1

# Re-run every notebook in place, top to bottom, with the kernel the tests use,
# so that the stored outputs students read on GitHub are fresh. Coalescing the
# streams keeps only the final state of each progress bar.
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.record_timing=False $(NOTEBOOKS)
	$(BIN)/jupyter nbconvert --to notebook --inplace --coalesce-streams $(NOTEBOOKS)
	$(BIN)/python -m course_utils.korean_edition

# The Korean edition, notebooks/ko/: merge each gettext catalog (notebooks/ko/*.po, and
# course_utils/locale/ko.po for the self-checks) with the English it translates, as msgmerge does (a
# changed English cell keeps its old translation, marked fuzzy, the old English beside it), and regenerate
# the Korean notebooks from the English ones. make execute and make run-times run it too. make test fails
# while a Korean file is stale or a translation is missing or fuzzy, naming the notebook and the cell.
korean: $(STAMP)
	$(BIN)/python -m course_utils.korean_edition

# The Korean notebooks under nbval (CI runs it after make test): their code is the English notebooks',
# plus one cell that makes the self-checks answer in Korean.
test-korean: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest -m korean -p no:cacheprovider notebooks/ko

# Resolve every package afresh (the newest releases that fit requirements.txt) and pin them all in
# constraints.txt, with pip-tools in a venv of its own. pip-compile writes the build label of the torch
# it found (2.13.0+cpu on the reference machines); the pin without the label fits every build of it.
# Write the notebook run times of a make test log into README's table and the notebooks' titles:
# make test 2>&1 | tee test.log && make run-times LOG=test.log
run-times: $(STAMP)
	@test -n "$(LOG)" || { echo "usage: make run-times LOG=file (the output of make test)"; exit 2; }
	$(BIN)/python tests/run_times.py "$(LOG)"
	$(BIN)/python -m course_utils.korean_edition

lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/python -m pip install --quiet pip==$(PIP_VERSION) pip-tools==$(PIP_TOOLS_VERSION); }
	cp constraints.txt $(LOCK_VENV)/constraints.previous
	: > constraints.txt  # requirements.txt reads it: empty, it holds nothing back
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --upgrade --strip-extras \
		--no-emit-index-url --no-emit-find-links --unsafe-package course-utils \
		--output-file constraints.txt requirements.txt requirements-site.txt \
		|| { cp $(LOCK_VENV)/constraints.previous constraints.txt; exit 1; }
	sed -i 's/^torch==\([^+]*\)+.*/torch==\1/' constraints.txt

clean:
	rm -rf $(VENV) $(LOCK_VENV) $(HTML_DIR) wheels machine-runs .pytest_cache .ruff_cache
