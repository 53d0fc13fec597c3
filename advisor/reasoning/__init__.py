"""Reasoners propose evidence; they never decide severity, verdict or cost."""

from advisor.reasoning.base import Extraction, Reasoner
from advisor.reasoning.offline import OfflineReasoner

__all__ = ["Extraction", "OfflineReasoner", "Reasoner"]
