"""The Chroma knowledge store: knowledge chunks, signal banks and the user's own documents."""

from advisor.store.chroma_store import KnowledgeStore, SignalMatrix, StoreError, open_store
from advisor.store.passage_index import Passage

__all__ = ["KnowledgeStore", "Passage", "SignalMatrix", "StoreError", "open_store"]
