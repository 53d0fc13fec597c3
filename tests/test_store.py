from pathlib import Path

from advisor.knowledge.loader import KnowledgeBase
from advisor.store.chroma_store import KnowledgeStore, open_store


def test_store_is_persistent_and_rebuilt_only_when_knowledge_changes(
    store_path: Path, knowledge: KnowledgeBase
) -> None:
    reopened = open_store(store_path)
    assert reopened.knowledge_version() == knowledge.version
    assert reopened.ensure_built(knowledge) is False
    stats = reopened.stats()
    assert stats["knowledge_chunks"] > 50
    assert stats["signal_sentences"] > 500


def test_search_finds_the_right_area(store: KnowledgeStore) -> None:
    top = store.search("on-call alerting, rollback and retraining of the deployed model", k=3)
    assert top[0].area == "operations"
    assert all(p.score <= 1.0 for p in top)
    only = store.search("who owns the model", k=4, area="governance")
    assert only and all(p.area == "governance" for p in only)


def test_user_documents_join_the_store_and_survive_a_rebuild(tmp_path: Path, knowledge: KnowledgeBase) -> None:
    path = tmp_path / "chroma"
    store = open_store(path)
    store.ensure_built(knowledge)
    text = (
        "Postmortem 2024-07: the fraud model silently degraded for nine weeks because nobody watched the "
        "score distribution. We now page the on-call engineer when the population stability index moves."
    )
    assert store.add_document("postmortems/fraud.md", text) == 1
    assert store.add_document("postmortems/fraud.md", text) == 1  # re-adding replaces, not duplicates
    hits = store.search("silent model degradation nobody noticed", k=3)
    assert any(h.kind == "user" and "nine weeks" in h.text for h in hits)
    store.ensure_built(knowledge, force=True)
    assert open_store(path).stats()["user_chunks"] == 1


def test_signal_matrix_is_ordered_and_complete(store: KnowledgeStore, knowledge: KnowledgeBase) -> None:
    matrix = store.signals()
    total = sum(
        len(getattr(bank, label))
        for bank in knowledge.signals.values()
        for label in ("gap_high", "gap_medium", "mitigation", "neutral")
    )
    assert matrix.vectors.shape == (total, 384)
    assert set(matrix.labels) == {"gap_high", "gap_medium", "mitigation", "neutral"}


def test_a_store_embedded_by_another_model_is_rebuilt(
    store_path: Path, tmp_path: Path, knowledge: KnowledgeBase
) -> None:
    import shutil

    from advisor.store.chroma_store import KNOWLEDGE

    path = tmp_path / "chroma"
    shutil.copytree(store_path, path)
    store = open_store(path)
    assert store.knowledge_version() == knowledge.version and not store.ensure_built(knowledge)
    # As an older release with a different embedding model would have left it.
    collection = store._collection(KNOWLEDGE)
    # (hnsw:space cannot be re-sent to modify(); it stays as built.)
    kept = {k: v for k, v in (collection.metadata or {}).items() if not k.startswith("hnsw:")}
    collection.modify(metadata={**kept, "embedding_model": "some-other-model"})
    reopened = open_store(path)
    assert reopened.knowledge_version() is None
    assert reopened.ensure_built(knowledge)
    assert open_store(path).knowledge_version() == knowledge.version
