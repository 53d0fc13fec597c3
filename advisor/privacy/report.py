"""Reports with the personal data in their quotes and narrative replaced by placeholders.

Reports keep the team's own words by default: they stay on the machine. A report that is to be shared
more widely (a portfolio page, a ticket, an e-mail) can be produced redacted instead, with the same rules
as the text sent to an LLM endpoint, so "quotes in reports can be shown redacted" means the same thing
everywhere.
"""

from __future__ import annotations

from typing import Any

from advisor.domain.report import Report
from advisor.privacy.redact import describe_counts, redact

# Hashes and versions identify what produced the report: they are not personal data, and changing them
# would break `advisor audit --verify` and reproduction.
_KEPT = frozenset({"provenance", "schema_version"})


def redact_report(report: Report) -> Report:
    """The report with every string outside its provenance redacted, and a notice counting what was replaced.

    Every string is walked, not a list of quote fields: a field added to the contract later (a new kind of
    quote, say) is covered without anyone remembering to add it here. Redaction is deterministic, so the
    same report redacts to byte-identical JSON.
    """
    counts: dict[str, int] = {}

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            result = redact(value)
            for kind, n in result.counts.items():
                counts[kind] = counts.get(kind, 0) + n
            return result.text
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: value[key] if key in _KEPT else walk(item) for key, item in value.items()}
        return value

    data = walk(report.model_dump(mode="json"))
    note = (
        f"Personal data in this report is shown redacted ({describe_counts(counts)})."
        if counts
        else ("This report was produced with redaction on; no personal data was found in it.")
    )
    data["notices"] = [*data["notices"], note]
    data["provenance"]["redacted"] = True
    return Report.model_validate(data)
