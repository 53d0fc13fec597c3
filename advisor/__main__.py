"""python -m advisor == advisor."""

from advisor.launch import run

run()
