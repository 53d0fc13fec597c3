"""The `advisor` command: a thin face over the library, one module per command."""

from __future__ import annotations

import os
import sqlite3
import sys

import typer

from advisor.atomic import WriteError
from advisor.checkpoint import CheckpointError
from advisor.cli import assess, audit, batch, chat, diff, interview, kb, schema, sessions
from advisor.cli import eval as eval_cmd
from advisor.cli.common import CliError
from advisor.session import SessionError

app = typer.Typer(
    name="advisor",
    help="POC Advisor: what stands between an AI proof of concept and production, and what it costs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("assess")(assess.assess_command)
app.command("schema")(schema.schema_command)
app.add_typer(kb.app, name="kb")
app.command("interview")(interview.interview_command)
app.command("chat")(chat.chat_command)
app.add_typer(sessions.app, name="sessions")
app.command("batch")(batch.batch_command)
app.command("diff")(diff.diff_command)
app.command("eval")(eval_cmd.eval_command)
app.command("audit")(audit.audit_command)


def main() -> None:
    """Entry point: every failure becomes one line on stderr and an exit status, never a traceback."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except CliError as exc:
        print(f"advisor: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except (SessionError, CheckpointError) as exc:
        print(f"advisor: {exc}", file=sys.stderr)
        sys.exit(2)
    except WriteError as exc:  # a full disk or a read-only folder: the environment, not the input
        print(f"advisor: {exc}", file=sys.stderr)
        sys.exit(1)
    except sqlite3.OperationalError as exc:  # the sessions file: SQLite keeps every committed answer
        print(f"advisor: the sessions file could not be written ({exc}); every answer already saved is kept",
              file=sys.stderr)  # fmt: skip
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        print("advisor: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unforeseen: one line, no traceback
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        print(
            f"advisor: internal error: {type(exc).__name__}: {exc} (set ADVISOR_DEBUG=1 for details)", file=sys.stderr
        )
        sys.exit(1)


def run() -> None:
    """Process entry point (the `advisor` script, `python -m advisor`): main(), then exit without teardown.

    Unloading the imported libraries (chromadb, onnxruntime, langgraph, pydantic) at interpreter exit took
    about 0.45 s of a 2.5 s cold `advisor assess`. Everything a command writes (reports, audit records,
    checkpoints, the store) is written and closed before main() returns, so once the standard streams and
    logging are flushed the process can end at once. main() itself still exits normally, for callers that
    run it in-process.
    """
    import contextlib
    import logging

    code: int = 0
    try:
        main()
    except SystemExit as exc:
        if isinstance(exc.code, int) or exc.code is None:
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken pipe: nothing left to flush
            stream.flush()
    logging.shutdown()
    os._exit(code)
