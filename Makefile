# The two commands of the quick start. Each installs what it needs into .venv by itself.
.PHONY: demo test

demo:
	@bash scripts/demo

test:
	@bash scripts/test
