"""Loading the knowledge base (cards, signal banks, question bank, remediation catalog, rates)."""

from advisor.knowledge.loader import KnowledgeBase, KnowledgeError, default_knowledge_dir, load_knowledge
from advisor.knowledge.models import Card, Question, Rates, RemediationSpec, Role, SignalBank

__all__ = [
    "Card",
    "KnowledgeBase",
    "KnowledgeError",
    "Question",
    "Rates",
    "RemediationSpec",
    "Role",
    "SignalBank",
    "default_knowledge_dir",
    "load_knowledge",
]
