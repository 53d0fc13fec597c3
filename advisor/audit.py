"""The audit log: one JSON line per assessment, appended and never rewritten, so any report can be traced.

Each record names what went in (the brief's hash), what produced it (engine, model, knowledge, prompt and
advisor versions), what came out (the hash of the report's JSON and its verdict) and who ran it where.
Nothing secret is in a record: no API key, no endpoint credentials, no brief text.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from advisor.domain.report import Report
from advisor.settings import Settings

try:
    import fcntl
except ImportError:  # not POSIX: O_APPEND with a single write still keeps each line whole on local disks
    fcntl = None  # type: ignore[assignment]

Command = Literal["assess", "batch", "interview", "chat", "api"]


class AuditRecord(BaseModel):
    """One assessment as the audit log records it."""

    time: datetime = Field(description="When the report was produced, UTC, ISO 8601.")
    command: Command = Field(description="What produced it: assess, batch, interview, chat or api.")
    brief: str = Field(description="Name of the brief assessed.")
    input_sha256: str = Field(description="SHA-256 of the brief text (the report's provenance.brief_sha256).")
    engine: str = Field(description="Reasoning engine: 'offline' or 'llm'.")
    model: str = Field(description="Embedding or language model used.")
    knowledge_version: str = Field(description="Content hash of the knowledge base.")
    prompt_version: str = Field(description="Content hash of the prompt templates in prompts/.")
    advisor_version: str = Field(description="Version of poc-advisor.")
    output_sha256: str = Field(description="SHA-256 of the report's JSON (Report.model_dump_json(), UTF-8).")
    verdict: str = Field(description="The report's verdict.")
    user: str = Field(description="Who ran it (the login name, or 'unknown').")
    host: str = Field(description="The machine it ran on.")


def report_sha256(report: Report) -> str:
    """SHA-256 of the report's compact JSON: stable across a save and reload, so a saved report can be checked."""
    return hashlib.sha256(report.model_dump_json().encode("utf-8")).hexdigest()


def _prompts_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in files:
        # The name is hashed too, so renaming a template (which changes which one a step uses) shows.
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def prompt_version(folder: Path | None = None) -> str:
    """Content hash of the prompt templates (16 hex digits), the LLM engine's counterpart to knowledge_version.

    Read afresh each time (a handful of small files): a cached hash would go stale if prompts were edited
    under a long-running host, and the record would then name the wrong prompts.
    """
    return _prompts_hash((folder or _prompts_dir()).resolve())


def _prompts_dir() -> Path:
    # The same lookup as advisor.llm.prompts.default_prompts_dir (a test holds them equal), not an import of
    # it: the advisor.llm package imports the openai SDK, half a second the offline engine never needs.
    checkout = Path(__file__).resolve().parents[1] / "prompts"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "_bundled" / "prompts"


def _user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name and no passwd entry (some containers): still record the run
        return "unknown"


def audit_record(report: Report, command: Command) -> AuditRecord:
    """The audit record of a report just produced by `command`."""
    provenance = report.provenance
    return AuditRecord(
        time=datetime.now(UTC),
        command=command,
        brief=report.brief,
        input_sha256=provenance.brief_sha256,
        engine=provenance.engine,
        model=provenance.model,
        knowledge_version=provenance.knowledge_version,
        prompt_version=prompt_version(),
        advisor_version=provenance.advisor_version,
        output_sha256=report_sha256(report),
        verdict=report.verdict,
        user=_user(),
        host=socket.gethostname() or "unknown",
    )


def append_audit(path: Path, record: AuditRecord) -> None:
    """Append one record as one line; safe with concurrent writers, and never touches earlier lines.

    O_APPEND makes every write land at the current end of file; the whole line goes in one os.write under
    an exclusive flock, so lines from several processes or threads never interleave. The line is fsynced:
    an audit trail that a crash can lose is not one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (record.model_dump_json() + "\n").encode("utf-8")
    # Owner-only by default: the log names users and hosts. A shared log can be created beforehand with
    # the mode its readers need; an existing file keeps its mode.
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            size = os.fstat(fd).st_size
            # A writer killed mid-line (or a full disk) leaves a line without its newline: start on a fresh
            # line so this record stays parseable, rather than repair what is already there.
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            written = 0
            while written < len(line):
                written += os.write(fd, line[written:])
            os.fsync(fd)
        finally:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_audit(path: Path) -> Iterator[AuditRecord]:
    """The records in the log, oldest first; lines that are not valid records (a torn write) are skipped."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                yield AuditRecord.model_validate_json(line)
            except ValidationError:
                continue


def audit_report(settings: Settings, report: Report, command: Command) -> str | None:
    """Record a report in the configured audit log unless auditing is off; a warning to show if it failed.

    A log that cannot be written does not lose the user's report, which is already produced: the caller
    shows the warning so the gap in the trail is known.
    """
    if not settings.audit:
        return None
    path = settings.audit_path
    try:
        append_audit(path, audit_record(report, command))
    except OSError as exc:
        return f"audit log {path} not written ({exc.strerror or exc})"
    return None
