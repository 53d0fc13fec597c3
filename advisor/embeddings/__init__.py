"""Offline sentence embeddings: MiniLM int8 ONNX + a vendored WordPiece tokenizer."""

from advisor.embeddings.minilm import EMBEDDING_MODEL_ID, MiniLMEmbedder, embed_documents

__all__ = ["EMBEDDING_MODEL_ID", "MiniLMEmbedder", "embed_documents"]
