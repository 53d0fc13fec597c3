"""Checkpointers from settings: SQLite in the user's data folder by default, Postgres when a URL is set."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from advisor.settings import Settings


def serializer() -> Any:
    """LangGraph's serializer, allowed to restore exactly the advisor's own state types and nothing else."""
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    from advisor.domain import brief, evidence, interview, plan, report, risk

    allowed = [
        (module.__name__, name)
        for module in (brief, evidence, interview, plan, report, risk)
        for name, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == module.__name__ and hasattr(value, "model_fields")
    ]
    return JsonPlusSerializer(allowed_msgpack_modules=allowed)


class CheckpointError(RuntimeError):
    """The session store cannot be opened; the message says what to do."""


def sqlite_checkpointer(path: Path) -> Any:
    """A SqliteSaver on its own connection, usable from several threads (the saver locks around it)."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        saver = SqliteSaver(conn, serde=serializer())
        saver.setup()
    except sqlite3.DatabaseError as exc:
        raise CheckpointError(f"cannot open the session store at {path}: {exc}") from exc
    return saver


def make_checkpointer(settings: Settings) -> Any:
    """The checkpointer the settings ask for."""
    if settings.postgres_url:
        try:
            from langgraph.checkpoint.postgres import PostgresSaver
        except ImportError as exc:
            raise CheckpointError(
                "ADVISOR_POSTGRES_URL is set but langgraph-checkpoint-postgres is not installed "
                "(pip install 'poc-advisor[postgres]')"
            ) from exc
        import psycopg
        from psycopg.rows import dict_row

        conn = psycopg.connect(settings.postgres_url, autocommit=True, prepare_threshold=0, row_factory=dict_row)
        saver = PostgresSaver(conn, serde=serializer())
        saver.setup()
        return saver
    return sqlite_checkpointer(settings.sessions_path)
