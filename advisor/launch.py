"""The `advisor` script's first step: start loading the embedding model, then import the commands.

Importing the commands (LangGraph, pydantic, Typer, Textual) takes most of a second of pure Python; the
ONNX session, about a quarter of a second more, is built in C++ with the GIL released. Started first on
another thread, it is ready by the time a command first embeds. Only the commands that embed start it.
"""

from __future__ import annotations

import sys

EMBEDDING_COMMANDS = frozenset({"chat", "assess", "interview", "batch", "eval"})
"""Commands that read text with the model on every run (the offline reader, or retrieval for the LLM's)."""


def wants_model(argv: list[str]) -> bool:
    """Whether this command line will embed text: one of EMBEDDING_COMMANDS, not asking for help."""
    return bool(argv) and argv[0] in EMBEDDING_COMMANDS and not {"--help", "-h"} & set(argv)


def run() -> None:
    """Entry point of the `advisor` script and `python -m advisor`."""
    if wants_model(sys.argv[1:]):
        from advisor.embeddings.minilm import preload_in_background

        preload_in_background()
    from advisor.cli import run as run_cli

    run_cli()
