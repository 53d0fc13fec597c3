"""`advisor schema`: the versioned JSON schema of a report."""

from __future__ import annotations

import json

from advisor.domain.report import SCHEMA_VERSION, Report


def schema_command() -> None:
    """Print the JSON schema of the report (the contract for batch, evals and embedding)."""
    schema = Report.model_json_schema()
    schema["$id"] = f"https://poc-advisor.invalid/schema/report-{SCHEMA_VERSION}.json"
    schema["version"] = SCHEMA_VERSION
    print(json.dumps(schema, indent=2))
