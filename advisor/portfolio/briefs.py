"""Structured briefs (.yaml, .yml, .json): a small schema turned into Markdown the advisor reads like any brief.

The advisor's engine reads prose, so a structured brief is rendered to Markdown with one heading per
section; short bullets under a heading such as "Security and privacy" are read with that heading as context.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.domain.brief import Brief
from advisor.intake import BriefError, brief_from_text, read_brief

STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json")
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TEXT_SUFFIXES = (".md", ".txt")
BRIEF_SUFFIXES = TEXT_SUFFIXES + STRUCTURED_SUFFIXES

Section = str | list[str]

# Field name -> heading. Headings stay at four words or fewer: the reader uses short headings as context.
SECTION_HEADINGS: dict[str, str] = {
    "objective": "Objective",
    "data": "Data",
    "scalability": "Volume and scalability",
    "infrastructure": "Infrastructure",
    "integration": "Integration",
    "security": "Security and privacy",
    "team": "Team",
    "operations": "Operations",
    "governance": "Governance",
    "timeline": "Timeline",
    "value": "Value",
    "notes": "Notes",
}


class StructuredBrief(BaseModel):
    """A brief written as fields rather than prose; every section is optional text or a list of bullets."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)

    name: str = Field(min_length=1, description="Project name, shown as the brief's title.")
    summary: str = Field(min_length=1, description="What the POC does and for whom, in a sentence or a paragraph.")
    objective: Section | None = Field(default=None, description="Business goal, success metric, baseline.")
    data: Section | None = Field(default=None, description="Where the POC data came from; production data sources.")
    scalability: Section | None = Field(default=None, description="Production volume, latency, throughput.")
    infrastructure: Section | None = Field(default=None, description="Where it runs now and where it must run.")
    integration: Section | None = Field(default=None, description="Source systems, APIs, write-back paths.")
    security: Section | None = Field(default=None, description="Personal data, regulation, secrets, access, audit.")
    team: Section | None = Field(default=None, description="Who builds and maintains it; engineering skills.")
    operations: Section | None = Field(default=None, description="Monitoring, retraining, rollback, run budget.")
    governance: Section | None = Field(default=None, description="Owner after launch, override policy, fairness.")
    timeline: Section | None = Field(default=None, description="What sponsors expect, and by when.")
    value: Section | None = Field(default=None, description="Value at stake, e.g. 'saves $400k a year'.")
    notes: Section | None = Field(default=None, description="Anything else the team wants the advisor to read.")


def brief_markdown(brief: StructuredBrief) -> str:
    """The structured brief as Markdown: title, summary, then one section per field that is filled in."""
    lines = [f"# {brief.name}", "", brief.summary, ""]
    for field, heading in SECTION_HEADINGS.items():
        value: Section | None = getattr(brief, field)
        items = [value] if isinstance(value, str) else list(value or [])
        items = [item.strip() for item in items if item.strip()]
        if not items:
            continue
        lines += [f"## {heading}", ""]
        lines += items if isinstance(value, str) else [f"- {item}" for item in items]
        lines.append("")
    return "\n".join(lines)


def _parse(text: str, suffix: str, label: str) -> Any:
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BriefError(f"{label}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
        except (ValueError, RecursionError) as exc:
            # Syntactically JSON but unreadable: a number over Python's 4300-digit limit, nesting too deep.
            raise BriefError(f"{label}: not valid JSON ({_first_line(exc)})") from exc
    try:
        # libyaml's loader: the pure-Python one takes a second to fail on 1,000 nested brackets (a hostile
        # brief could stall a batch with a few of them); libyaml refuses that nesting in milliseconds.
        return yaml.load(text, Loader=_SAFE_LOADER)  # a SafeLoader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "cannot parse it"
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise BriefError(f"{label}: not valid YAML ({problem}{where})") from exc
    except (ValueError, TypeError, RecursionError) as exc:
        # PyYAML's constructors raise plain errors for well-formed but impossible values: a date "2001-13-45",
        # "!!int abc", an integer over Python's 4300-digit limit; deep nesting exhausts the recursion limit.
        raise BriefError(f"{label}: not valid YAML (a value cannot be read: {_first_line(exc)})") from exc


def _first_line(exc: BaseException) -> str:
    lines = str(exc).splitlines()
    return lines[0][:200] if lines else type(exc).__name__


def _schema_error(exc: ValidationError, label: str) -> BriefError:
    errors = exc.errors()
    # A union (text or list) reports one error per member; count and name problems by field instead.
    fields = list(dict.fromkeys(str(e["loc"][0]) if e["loc"] else "(top level)" for e in errors))
    first = errors[0]
    field = fields[0]
    if first["type"] == "missing":
        reason = f"the field '{field}' is required"
    elif first["type"] == "extra_forbidden":
        reason = f"unknown field '{field}' (allowed: name, summary, {', '.join(SECTION_HEADINGS)})"
    elif field in SECTION_HEADINGS:
        reason = f"field '{field}' must be text or a list of texts"
    else:
        reason = f"field '{field}': {first['msg']}"
    more = f" (and {len(fields) - 1} more fields)" if len(fields) > 1 else ""
    return BriefError(" ".join(f"{label}: {reason}{more}".split()))


def structured_brief(data: Any, label: str) -> StructuredBrief:
    """Validate parsed YAML/JSON against the schema; a mismatch is one line naming the first bad field."""
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        raise BriefError(f"{label}: a structured brief must be a mapping with 'name' and 'summary', not {kind}")
    try:
        return StructuredBrief.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(exc, label) from exc


def read_structured_brief(path: Path, max_bytes: int) -> Brief:
    """Read a .yaml/.yml/.json brief and turn it into a Brief whose text is the Markdown rendering."""
    # read_brief does the file checks (size, binary, encoding, empty) exactly as for a Markdown brief.
    raw = read_brief(path, max_bytes)
    label = str(path)
    parsed = structured_brief(_parse(raw.text, path.suffix.lower(), label), label)
    return brief_from_text(brief_markdown(parsed), name=path.stem, source=label, max_bytes=max_bytes)


def read_any_brief(path: Path, max_bytes: int) -> Brief:
    """A brief from any supported file: structured by suffix, otherwise read as Markdown or plain text."""
    if path.suffix.lower() in STRUCTURED_SUFFIXES:
        return read_structured_brief(path, max_bytes)
    return read_brief(path, max_bytes)
