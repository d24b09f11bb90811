# The two commands of the README. Both set up everything they need first (scripts/bootstrap.sh).
.PHONY: demo test lint

demo:  ## set up, then run one full cycle of the pipeline on the bundled sample site (offline)
	bash scripts/demo.sh

test:  ## set up, then run the whole test suite (starts and stops its own servers)
	bash scripts/test.sh

lint:
	.venv/bin/ruff check .
