"""The Chroma knowledge store: knowledge chunks, signal banks and the user's own documents."""

from advisor.store.chroma_store import KnowledgeStore, StoreError, open_store
from advisor.store.passage_index import Passage
from advisor.store.signal_matrix import SignalMatrix

__all__ = ["KnowledgeStore", "Passage", "SignalMatrix", "StoreError", "open_store"]
