"""The `advisor` script's first step: start loading the embedding model, then import the commands.

Importing the commands (LangGraph, pydantic, Typer, Textual) takes most of a second of pure Python; the
ONNX session, about a quarter of a second more, is built in C++ with the GIL released, and so is reading a
brief's sentences with it (about a tenth of a second). Started first on another thread, both are done by
the time the command reads the brief. Only the commands that embed start it.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from pathlib import Path

EMBEDDING_COMMANDS = frozenset({"chat", "assess", "interview", "batch", "eval"})
"""Commands that read text with the model on every run (the offline reader, or retrieval for the LLM's)."""


def wants_model(argv: list[str]) -> bool:
    """Whether this command line will embed text: one of EMBEDDING_COMMANDS, not asking for help."""
    return bool(argv) and argv[0] in EMBEDDING_COMMANDS and not {"--help", "-h"} & set(argv)


def brief_argument(argv: list[str]) -> Path | None:
    """The brief the command reads first: `chat` or `interview --brief FILE`, or `assess FILE`; else None.

    A guess from the raw arguments, before Typer parses them: a wrong guess costs only work done early.
    """
    if argv[:1] in (["chat"], ["interview"]):
        for flag in ("--brief", "-b"):
            if flag in argv[:-1]:
                return Path(argv[argv.index(flag) + 1])
        found = next((a.split("=", 1)[1] for a in argv if a.startswith("--brief=")), None)
        return Path(found) if found else None
    if argv[:1] == ["assess"]:
        positional = [a for a in argv[1:] if not a.startswith("-")]
        # Only when the brief is the sole bare word: an option's value would be taken for it otherwise.
        if len(positional) == 1 and len(argv) == 2:
            return Path(positional[0])
    return None


def read_ahead(brief: Path | None) -> None:
    """Load the model and, given a brief, embed what the offline reader will embed of it (the model thread)."""
    from advisor.embeddings.minilm import shared_embedder

    # Errors are the command's to report, with its own messages, when it reads the same file itself.
    with contextlib.suppress(Exception):
        embedder = shared_embedder()
        if brief is not None and brief.is_file():
            from advisor.portfolio.briefs import read_any_brief
            from advisor.settings import DEFAULT_MAX_BRIEF_BYTES
            from advisor.text.embedded import texts_embedded_for

            # A larger limit set by the user only means this brief is not read ahead.
            texts = texts_embedded_for(read_any_brief(brief, DEFAULT_MAX_BRIEF_BYTES).text)
            if texts:
                embedder.embed(texts)


def start_read_ahead(argv: list[str]) -> threading.Thread | None:
    """Start `read_ahead` on a daemon thread when this command line will embed (quitting never waits for it)."""
    if not wants_model(argv):
        return None
    thread = threading.Thread(target=read_ahead, args=(brief_argument(argv),), name="advisor-read-ahead", daemon=True)
    thread.start()
    return thread


def begin_startup() -> None:
    """Pause the cyclic garbage collector while the program imports and builds its parts.

    Imports allocate hundreds of thousands of objects that all stay alive, and the collector would scan
    them again and again for nothing: importing the commands and the chat took about 13% less time with it
    paused (median of 10 alternating runs each).
    """
    gc.disable()


def end_startup() -> None:
    """Resume the collector, with what the start made moved out of its scans (`gc.freeze`).

    Those objects (modules, classes, the model, the compiled graph) live as long as the process; freezing
    them keeps later full collections, which would otherwise walk all of them, short. Does nothing when
    the collector was not paused by begin_startup.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run() -> None:
    """Entry point of the `advisor` script and `python -m advisor`."""
    argv = sys.argv[1:]
    begin_startup()
    start_read_ahead(argv)
    from advisor.cli import run as run_cli

    if argv[:1] != ["chat"]:
        end_startup()  # the chat ends it itself once its screen is built (Textual imports inside it)

    run_cli()
