"""POC Advisor: what stands between an AI proof of concept and production, with evidence and a costed plan."""

import advisor._threads  # noqa: F401  (before anything imports numpy)
from advisor.api import Advisor
from advisor.domain import AREA_IDS, AreaRisk, Evidence, Plan, Report, Verdict
from advisor.domain.interview import AskedQuestion, PendingQuestion
from advisor.intake import BriefError
from advisor.session import InterviewEvent, Session, SessionError, SessionInfo
from advisor.settings import Settings
from advisor.version import __version__

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
