"""Reading report files back and writing outputs atomically."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from advisor.atomic import write_atomically
from advisor.domain.report import SCHEMA_VERSION, Report

__all__ = ["ReportFileError", "load_report", "write_atomically"]


class ReportFileError(ValueError):
    """A file that is not a readable report; str(error) is the one-line reason."""


def load_report(path: Path) -> Report:
    """A report from its JSON file (as `advisor assess --format json` or `advisor batch` wrote it)."""
    label = str(path)
    if not path.is_file():
        raise ReportFileError(f"{label}: no such file" if not path.exists() else f"{label}: not a file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReportFileError(f"{label}: not a JSON report (not UTF-8 text)") from exc
    except OSError as exc:
        raise ReportFileError(f"{label}: cannot read it ({exc.strerror})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportFileError(f"{label}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or "verdict" not in data or "provenance" not in data:
        raise ReportFileError(f"{label}: JSON, but not an advisor report (no verdict or provenance)")
    version = str(data.get("schema_version", ""))
    major = SCHEMA_VERSION.split(".")[0]
    if version.split(".")[0] != major:
        raise ReportFileError(
            f"{label}: report schema {version or '?'} is not supported (this advisor reads {major}.x)"
        )
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ReportFileError(" ".join(f"{label}: not a valid report ({where}: {first['msg']})".split())) from exc
