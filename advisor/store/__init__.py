"""The Chroma knowledge store: knowledge chunks, signal banks and the user's own documents."""

from advisor.store.chroma_store import KnowledgeStore, Passage, SignalMatrix, StoreError, open_store

__all__ = ["KnowledgeStore", "Passage", "SignalMatrix", "StoreError", "open_store"]
