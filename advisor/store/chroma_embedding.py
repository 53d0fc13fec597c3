"""Chroma's face on the offline MiniLM model, imported only where a Chroma client is opened."""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from advisor.embeddings.minilm import EMBEDDING_MODEL_ID, embed_documents


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over the offline MiniLM model; pass it explicitly when reopening."""

    def __init__(self) -> None:
        """Nothing to hold: the model is the process's one (`shared_embedder`), loaded on first use."""

    def __call__(self, input: Documents) -> Embeddings:
        """Embed documents (the model loads on first use)."""
        return list(embed_documents(list(input)))

    @staticmethod
    def name() -> str:
        """Registered name stored in the collection's configuration."""
        return "poc-advisor-minilm-int8"

    def default_space(self) -> Any:
        """Vectors are unit length, so cosine is the natural space."""
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        """Nothing to configure: the model is pinned by hash."""
        return {"model": EMBEDDING_MODEL_ID}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        """Rebuild from a stored collection configuration."""
        return MiniLMEmbeddingFunction()
