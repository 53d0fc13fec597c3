"""python -m advisor.cli == advisor."""

from advisor.launch import run

run()
