"""python -m advisor == advisor."""

from advisor.cli import main

main()
