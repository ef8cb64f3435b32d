# barnbokslut: the two commands of the quick start are `make run` and `make test`.
.PHONY: run test lint bench install clean

VENV := .venv
BIN := $(VENV)/bin

install:
	@bash scripts/bootstrap.sh

# The main job on the bundled example data: the indicator analysis for the example municipality, then the
# example barnbokslut (examples/barnbokslut-exempel) as HTML, PDF and DOCX under out/, then the web app with
# the example organisation on http://127.0.0.1:8000 (SQLite in var/, development mode, the production server):
# migrate, load the example (users and passwords printed and in var/exempel-anvandare.txt), serve until Ctrl-C.
# `serve --exempel` serves the bundled Kolada snapshot on loopback (port 8123, else a free one) for the app and its worker.
WEB := BARNBOKSLUT_DEV=1
run: install
	$(BIN)/barnbokslut indikatorer --exempeldata --kommun Söderhamn --år 2025 --ut out/
	$(BIN)/barnbokslut bygg examples/barnbokslut-exempel --exempeldata --format html,pdf,docx --out out/
	$(WEB) $(BIN)/barnbokslut webb migrate
	$(WEB) $(BIN)/barnbokslut webb load_example
	$(WEB) $(BIN)/barnbokslut serve --exempel --bind 127.0.0.1:8000

# All tests on SQLite but the browser journeys, and beside them the web tests with the journeys on a throwaway
# PostgreSQL server (scripts/with-postgres.sh starts Debian's PostgreSQL in a temporary folder and removes it
# after), then ruff (lint and format).
# The tests validate every PDF they build as PDF/UA-1 and PDF/A-2a (tests/pdfcheck.py) and open the example
# Word files in LibreOffice (tests/docxcheck.py). Last, mypy on the core ([tool.mypy] in pyproject.toml).
test: install
	BIN=$(BIN) bash scripts/test-all.sh

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

# koladapy is installed for the benchmark only (it brings pandas); the product never imports it.
bench: install
	$(BIN)/python -m pip install -q koladapy==1.0.1
	$(BIN)/python bench/kolada_fetch.py

clean:
	rm -rf out .pytest_cache
