"""POC Advisor: what stands between an AI proof of concept and production, with evidence and a costed plan.

The public names are imported on first use (PEP 562), so that `import advisor.<module>` does not pay for
LangGraph and the rest: the `advisor` command starts loading the embedding model before those imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import advisor._threads  # noqa: F401  (before anything imports numpy)
from advisor.version import __version__

if TYPE_CHECKING:
    from advisor.api import Advisor
    from advisor.domain import AREA_IDS, AreaRisk, Evidence, Plan, Report, Verdict
    from advisor.domain.interview import AskedQuestion, PendingQuestion
    from advisor.intake import BriefError
    from advisor.session import InterviewEvent, Session, SessionError, SessionInfo
    from advisor.settings import Settings

_HOMES = {
    "Advisor": "advisor.api",
    "AREA_IDS": "advisor.domain",
    "AreaRisk": "advisor.domain",
    "Evidence": "advisor.domain",
    "Plan": "advisor.domain",
    "Report": "advisor.domain",
    "Verdict": "advisor.domain",
    "AskedQuestion": "advisor.domain.interview",
    "PendingQuestion": "advisor.domain.interview",
    "BriefError": "advisor.intake",
    "InterviewEvent": "advisor.session",
    "Session": "advisor.session",
    "SessionError": "advisor.session",
    "SessionInfo": "advisor.session",
    "Settings": "advisor.settings",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'advisor' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # once found, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "AREA_IDS",
    "Advisor",
    "AreaRisk",
    "AskedQuestion",
    "BriefError",
    "Evidence",
    "InterviewEvent",
    "PendingQuestion",
    "Plan",
    "Report",
    "Session",
    "SessionError",
    "SessionInfo",
    "Settings",
    "Verdict",
    "__version__",
]
