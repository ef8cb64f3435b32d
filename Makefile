# barnbokslut: the two commands of the quick start are `make run` and `make test`.
.PHONY: run test lint bench install clean

VENV := .venv
BIN := $(VENV)/bin

install:
	@bash scripts/bootstrap.sh

# The main job on the bundled example data: the indicator analysis for the example municipality, then the
# example barnbokslut (examples/barnbokslut-exempel) as HTML, PDF and DOCX under out/.
run: install
	$(BIN)/barnbokslut indikatorer --exempeldata --kommun Söderhamn --år 2025 --ut out/
	$(BIN)/barnbokslut bygg examples/barnbokslut-exempel --exempeldata --format html,pdf,docx --out out/

# All tests, then ruff.
test: install
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests bench scripts

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

# koladapy is installed for the benchmark only (it brings pandas); the product never imports it.
bench: install
	$(BIN)/python -m pip install -q koladapy==1.0.1
	$(BIN)/python bench/kolada_fetch.py

clean:
	rm -rf out .pytest_cache
