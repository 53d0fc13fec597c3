"""Privacy: personal data is redacted before any text leaves the machine for an LLM endpoint."""

from advisor.privacy.redact import PLACEHOLDERS, Redaction, describe_counts, redact

__all__ = ["PLACEHOLDERS", "Redaction", "describe_counts", "redact"]
