"""The embedder's run planning and its vectors: every text once, shortest first, same vectors however batched."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from advisor.embeddings.batching import fixed_batches, plan_batches
from advisor.embeddings.minilm import shared_embedder


@given(st.lists(st.integers(min_value=1, max_value=128), max_size=40), st.integers(min_value=1, max_value=10))
def test_a_plan_covers_every_text_once_in_runs_of_bounded_size(lengths: list[int], max_rows: int) -> None:
    runs = plan_batches(lengths, max_rows=max_rows)
    assert sorted(i for run in runs for i in run) == list(range(len(lengths)))
    assert all(1 <= len(run) <= max_rows for run in runs)
    flat = [lengths[i] for run in runs for i in run]
    assert flat == sorted(flat)


def test_a_plan_keeps_long_texts_away_from_short_ones() -> None:
    # Padding four 5-token texts to 120 tokens would cost far more than one extra run.
    runs = plan_batches([5, 120, 5, 5, 118, 5])
    assert [sorted(run) for run in runs] == [[0, 2, 3, 5], [1, 4]]


def test_fixed_batches_sort_by_characters() -> None:
    assert fixed_batches(["ccc", "a", "bb"], 2) == [[1, 2], [0]]


def test_vectors_are_unit_length_and_the_same_however_the_texts_are_grouped() -> None:
    embedder = shared_embedder()
    texts = ["We have no monitoring.", "The model is retrained monthly by the platform team on fresh data.", "PII."]
    embedder.clear_cache()
    planned = embedder.embed(texts)
    embedder.clear_cache()
    fixed = embedder.embed(texts, batch_size=1)
    assert planned.shape == (3, 384)
    assert np.allclose(np.linalg.norm(planned, axis=1), 1.0, atol=1e-5)
    # int8 activations are quantised per run, so grouping moves vectors a little, never their meaning.
    assert np.all(np.sum(planned * fixed, axis=1) > 0.99)
