"""python -m advisor.cli == advisor."""

from advisor.cli import run

run()
