"""python -m advisor.cli == advisor."""

from advisor.cli import main

main()
