"""What the commands share: building the injected dependencies and reporting errors."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import ValidationError

from advisor.api import Advisor
from advisor.audit import Command
from advisor.intake import BriefError
from advisor.knowledge.loader import KnowledgeError, load_knowledge
from advisor.settings import Settings, default_config_file
from advisor.store.chroma_store import KnowledgeStore, StoreError, open_checked, open_remote_store, recover_store

RedactOpt = Annotated[
    bool,
    typer.Option("--redact", help="Show emails, phone numbers, IBANs, card numbers and titled names as placeholders."),
]
"""The --redact flag every command that writes a report takes (ADVISOR_REDACT_REPORTS=true sets it for all)."""


class CliError(Exception):
    """A failure to report as one line with an exit status (2 = bad input, 1 = environment)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def make_settings(**overrides: object) -> Settings:
    """Settings from the environment and config file, with command-line overrides on top."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CliError(f"bad setting {where}: {first['msg']}", 2) from exc
    except Exception as exc:  # the TOML parser's errors: name the file, since the message alone does not
        raise CliError(f"bad settings in {default_config_file()}: {exc}".splitlines()[0], 2) from exc


def open_built_store(
    settings: Settings, force: bool = False, from_scratch: bool = False
) -> tuple[KnowledgeStore, object]:
    """Open the store and (re)build it when the knowledge changed, saying so on stderr.

    A store that cannot be read (corrupt, truncated, not a Chroma database) is moved aside, never deleted,
    and rebuilt from knowledge/ plus the user's recorded documents, with one notice line on stderr. A store
    locked by another process is waited for briefly, then reported (exit 1). `from_scratch` also re-adds the
    user's documents from their records instead of keeping their current chunks.
    """
    try:
        knowledge = load_knowledge(settings.knowledge_dir, settings.rates_file)
        path = settings.chroma_path
        store: KnowledgeStore | None
        reason: str | None = None
        if settings.chroma_url:
            store = open_remote_store(settings.chroma_url, settings.data_dir / "chroma-server-cache")
        else:
            store, reason = open_checked(path)
        if store is None:
            store, recovery, (restored, unreadable) = recover_store(path, reason or "unknown error", knowledge)
            print(
                f"advisor: the knowledge store at {path} was unreadable ({recovery.reason}); rebuilt it from "
                f"knowledge/ and {restored} of your documents (the old one is at {recovery.moved_to})"
                + _unreadable_note(unreadable),
                file=sys.stderr,
            )
            return store, knowledge
        if force or from_scratch or store.knowledge_version() != knowledge.version:
            print(
                f"advisor: building the knowledge store at {store.path} (once per knowledge change)…", file=sys.stderr
            )
            store.ensure_built(knowledge, force=True)
            if from_scratch:
                store.drop_recorded_user_documents()
            # A first build (the folder was deleted, say) also brings back the documents the user added.
            restored, unreadable = store.restore_user_documents()
            if restored and not from_scratch:
                print(f"advisor: re-added {restored} of your recorded documents", file=sys.stderr)
            if unreadable:
                print(f"advisor:{_unreadable_note(unreadable).lstrip(';')}", file=sys.stderr)
    except (KnowledgeError, StoreError) as exc:
        raise CliError(str(exc)) from exc
    return store, knowledge


def _unreadable_note(unreadable: int) -> str:
    if not unreadable:
        return ""
    return f"; {unreadable} recorded document(s) could not be read back and were left out"


def make_advisor(settings: Settings, audit_as: Command | None = None) -> Advisor:
    """An Advisor with its store built and injected.

    audit_as None (the default): the command records its reports itself, once they are written.
    """
    store, knowledge = open_built_store(settings)
    if settings.engine != "llm":
        return Advisor(settings, knowledge=knowledge, store=store, audit_as=audit_as)  # type: ignore[arg-type]
    # Only the LLM engine needs the openai SDK, whose import alone costs about half a second.
    from advisor.llm.client import LLMConfigError

    try:
        return Advisor(settings, knowledge=knowledge, store=store, audit_as=audit_as)  # type: ignore[arg-type]
    except LLMConfigError as exc:
        raise CliError(str(exc), 2) from exc


def bad_input(exc: BriefError) -> CliError:
    """A brief problem: exit status 2."""
    return CliError(str(exc), 2)
