"""python -m advisor == advisor."""

from advisor.cli import run

run()
