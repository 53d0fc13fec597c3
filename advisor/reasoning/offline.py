"""The offline reasoner: sentence embeddings against labelled example banks, corrected by lexical cues.

Topic detection alone cannot tell "we have no monitoring" from "monitoring is live", so every sentence is
read for area (nearest example sentences + topic terms) and then for polarity (a linear model trained on the
same banks over the embedding and cue flags, overruled by decisive negation cues and tempered by hedges,
plans and blocker cues, which the embedding model does not see).
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from advisor.atomic import write_bytes_atomically
from advisor.domain.areas import AREA_IDS, AreaId
from advisor.domain.evidence import Evidence, Polarity, Strength
from advisor.embeddings.minilm import EMBEDDING_MODEL_ID, MiniLMEmbedder, shared_embedder
from advisor.knowledge.models import SignalBank
from advisor.reasoning.base import Extraction, Judgement, Wording
from advisor.reasoning.classifier import SoftmaxModel, cue_vector, features, train_softmax
from advisor.store.chroma_store import KnowledgeStore
from advisor.store.signal_matrix import SignalMatrix
from advisor.text.answers import is_vague
from advisor.text.cues import CueReading, read_cues
from advisor.text.embedded import embedded_text, readable_and_instructions
from advisor.text.facts import extract_facts
from advisor.text.language import looks_english
from advisor.text.sentences import Sentence

LABELS = ("gap_high", "gap_medium", "mitigation", "neutral")


@dataclass(frozen=True)
class Thresholds:
    """Tunable bars of the offline reader (documented in the README; tuned on the dev split only)."""

    area_min: float = 0.46
    """Smallest area score (mean of the top example similarities + topic bonus) to read a sentence at all."""
    second_area_gap: float = 0.02
    """A second area is read too when its score is this close to the best and a topic term backs it."""
    topic_bonus: float = 0.04
    """Added to an area's score per matching topic term (at most two)."""
    min_confidence: float = 0.35
    """Evidence below this confidence is dropped."""
    cue_strong: float = 0.10
    """Probability added to a label by a decisive lexical cue (negated control, negated risk)."""
    cue_weak: float = 0.05
    """Probability added to a label by a supporting lexical cue (blocker word, concrete control)."""
    cue_area_min: float = 0.50
    """Area score needed before a lexical cue alone decides polarity."""
    cue_confidence: float = 0.3
    """Confidence added to the area score when a lexical cue decides polarity."""
    hint_margin: float = 0.05
    """An answer is also read for its question's area when that area scores within this of the best."""
    model_gap_min: float = 0.5
    """Probability of gap (high + medium) the linear model must give to report a gap."""
    model_high_ratio: float = 1.0
    """A gap is high-strength when P(gap_high) >= this x P(gap_medium)."""
    area_full: float = 0.6
    """Area score at which a sentence counts fully; below it confidence shrinks in proportion."""


@dataclass(frozen=True)
class _Vote:
    area: AreaId
    area_score: float
    nearest: str


_SentenceScores = tuple[npt.NDArray[np.float32], npt.NDArray[np.int64]]
"""One sentence's mean top-3 similarity per area and the row of its nearest example per area."""


@dataclass(frozen=True)
class _AreaScores:
    """Per-area similarity summaries for every sentence of a text, from one matrix product."""

    top_mean: npt.NDArray[np.float32]
    nearest: npt.NDArray[np.int64]

    def row(self, i: int) -> _SentenceScores:
        """The summaries of sentence i."""
        return self.top_mean[i], self.nearest[i]


_BARE_NEGATIVE = re.compile(
    r"^(?:no|nope|none|not yet|nobody(?: yet)?|no one(?: yet)?|nothing(?: yet)?|not really|not at all|never|"
    r"we don'?t|we do not|we haven'?t|not in place|no plan(?: yet)?)[.!]?$",
    re.IGNORECASE,
)
CUE_WEIGHT = 0.5
"""Scale of the cue flags next to the unit-length embedding in the linear model's features."""


def train_polarity_model(signals: SignalMatrix) -> SoftmaxModel:
    """The gap/mitigation/neutral model, trained on every example sentence of every area."""
    cues = np.stack([cue_vector(read_cues(text)) for text in signals.texts])
    return train_softmax(features(signals.vectors, cues, CUE_WEIGHT), signals.labels, LABELS, l2=1e-4)


def cached_polarity_model(store: KnowledgeStore) -> SoftmaxModel:
    """The trained model, saved beside the store per knowledge version so a new process skips training."""
    path = store.local_dir / f"polarity-{store.knowledge_version()}.npz"
    try:
        with np.load(path) as saved:
            return SoftmaxModel(tuple(str(c) for c in saved["classes"]), saved["weights"].astype(np.float32))
    except (OSError, KeyError, ValueError):
        pass  # not trained yet for this version, or unreadable: train again
    model = train_polarity_model(store.signals())
    buffer = io.BytesIO()
    np.savez(buffer, classes=np.array(model.classes), weights=model.weights)
    with contextlib.suppress(OSError):  # a read-only store still works, it just trains each time
        write_bytes_atomically(path, buffer.getvalue())
    return model


def _term_pattern(terms: list[str]) -> re.Pattern[str]:
    escaped = sorted((re.escape(t.lower()) for t in terms if t.strip()), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(escaped) + r")\b", re.IGNORECASE) if escaped else re.compile(r"(?!x)x")


class OfflineReasoner:
    """Deterministic evidence extraction with no network."""

    engine = "offline"
    model = EMBEDDING_MODEL_ID

    def __init__(
        self,
        signals: SignalMatrix,
        banks: dict[AreaId, SignalBank],
        embedder: MiniLMEmbedder | None = None,
        thresholds: Thresholds | None = None,
        polarity_model: SoftmaxModel | None = None,
    ) -> None:
        self._signals = signals
        self._embedder = embedder or shared_embedder()
        self._t = thresholds or Thresholds()
        self._topics = {area: _term_pattern(bank.topic_terms) for area, bank in banks.items()}
        self._area_rows = {area: np.array([i for i, a in enumerate(signals.areas) if a == area]) for area in AREA_IDS}
        self._model = polarity_model or train_polarity_model(signals)

    def phrase_question(self, question: str, why: str, known: str) -> Wording:
        """The bank's wording, unchanged: deterministic and reviewed."""
        return Wording(text=question)

    def judge_answer(self, question: str, answer: str, found_on_area: bool) -> Judgement:
        """Plain rules: evidence on the area is enough; 'not sure' or a few words are not."""
        vague = is_vague(answer, found_on_area)
        return Judgement(sufficient=not vague, reason="too thin to score" if vague else "scorable")

    def narrate(self, facts: str, draft: str) -> Wording:
        """The template summary code already wrote."""
        return Wording(text=draft)

    def extract(self, text: str, source: str, area_hint: AreaId | None = None, context: str = "") -> Extraction:
        """Evidence, facts and notices for one text.

        For an interview answer, area_hint is the question's area and context the question: a terse answer
        ("nobody yet") is embedded together with its question, while the quote stays the team's own words.
        """
        readable, instructions = readable_and_instructions(text)
        notices: list[str] = []
        if not looks_english(text):
            notices.append(
                "The text does not look like English; the offline engine reads English only, so most of it "
                "could not be understood."
            )
        for instruction in instructions:
            notices.append(f'Ignored an instruction aimed at the advisor: "{instruction.text[:120]}"')
        evidence: list[Evidence] = []
        if area_hint is not None and _BARE_NEGATIVE.match(text.strip()):
            # "No." or "nobody yet" to a question about a control: the control is missing.
            evidence.append(
                Evidence(
                    area=area_hint, quote=text.strip(), source=f"{source}#s0", polarity="risk", strength="medium",
                    confidence=0.6, cues=[f"bare negative answer to: \"{context[:80]}\""],
                )
            )  # fmt: skip
            readable = []
        if readable:
            vectors = self._embedder.embed([embedded_text(s) for s in readable])
            # A terse answer is also embedded with its question, used only when the answer alone is off-topic.
            framed = self._embedder.embed([f"{context} {s.text}" for s in readable]) if context else None
            cues = [read_cues(s.text) for s in readable]
            # One matrix product for the whole text instead of one per sentence: per-sentence products cost
            # about as much in BLAS start-up as in arithmetic, and far more when the cores are busy.
            scores = self._scores(vectors)
            framed_scores = self._scores(framed) if framed is not None else None
            x = features(vectors, np.stack([cue_vector(c) for c in cues]), CUE_WEIGHT)
            probs = self._model.probabilities(x)
            for i, sentence in enumerate(readable):
                fallback = (
                    framed_scores.row(i) if framed_scores is not None and len(sentence.text.split()) < 12 else None
                )
                row = {label: float(probs[i, self._model.classes.index(label)]) for label in LABELS}
                evidence.extend(
                    self._read(
                        sentence, cues[i], row, scores.row(i), f"{source}#s{sentence.index}", area_hint, fallback
                    )
                )
        return Extraction(evidence=evidence, facts=extract_facts(readable, source), notices=notices)

    def _scores(self, vectors: npt.NDArray[np.float32]) -> _AreaScores:
        """Similarities of every sentence to every example, reduced to what voting needs, in a few array ops."""
        sims = vectors @ self._signals.vectors.T
        top = np.empty((len(vectors), len(AREA_IDS)), dtype=np.float32)
        nearest = np.empty((len(vectors), len(AREA_IDS)), dtype=np.int64)
        for j, area in enumerate(AREA_IDS):
            block = sims[:, self._area_rows[area]]
            top[:, j] = np.sort(block, axis=1)[:, -3:].mean(axis=1)
            nearest[:, j] = self._area_rows[area][np.argmax(block, axis=1)]
        return _AreaScores(top, nearest)

    def _votes(self, text: str, scores: _SentenceScores, hint: AreaId | None = None) -> list[_Vote]:
        top_mean, nearest_row = scores
        scored: list[tuple[float, AreaId, int]] = []
        for j, area in enumerate(AREA_IDS):
            hits = len(set(m.group(0).lower() for m in self._topics[area].finditer(text)))
            scored.append((float(top_mean[j]) + self._t.topic_bonus * min(hits, 2), area, hits))
        scored.sort(key=lambda s: (-s[0], AREA_IDS.index(s[1])))
        best_score = scored[0][0]
        chosen = [scored[0]]
        for candidate in scored[1:3]:
            if candidate[2] > 0 and best_score - candidate[0] <= self._t.second_area_gap:
                chosen.append(candidate)
        if hint is not None and hint not in {c[1] for c in chosen}:
            # An answer is read for its question's area when it is terse or about that area, but an answer
            # clearly about another area ("we have no monitoring" to a data question) is not forced into it.
            hinted = next(c for c in scored if c[1] == hint)
            if best_score < self._t.area_min or best_score - hinted[0] <= self._t.hint_margin:
                chosen = [c for c in chosen if c[0] >= self._t.area_min]
                chosen.append((max(hinted[0], self._t.area_min), hint, hinted[2]))
        votes = []
        for score, area, _hits in chosen:
            if score < self._t.area_min:
                continue
            votes.append(_Vote(area, score, self._signals.texts[int(nearest_row[AREA_IDS.index(area)])]))
        return votes

    def _read(
        self,
        sentence: Sentence,
        cues: CueReading,
        probs: dict[str, float],
        scores: _SentenceScores,
        source: str,
        hint: AreaId | None = None,
        framed: _SentenceScores | None = None,
    ) -> list[Evidence]:
        found = []
        # Polarity does not depend on the area: the model read the sentence once, from its own words.
        votes = self._votes(sentence.text, scores, hint if framed is None else None)
        if not votes and framed is not None:
            votes = self._votes(sentence.text, framed, hint)
        elif framed is not None and hint is not None:
            votes = self._votes(sentence.text, scores, hint)
        for vote in votes:
            reading = self._polarity(vote, probs, cues)
            if reading is None:
                continue
            polarity, strength, confidence, notes = reading
            if confidence < self._t.min_confidence:
                continue
            found.append(
                Evidence(
                    area=vote.area,
                    quote=sentence.text,
                    source=source,
                    polarity=polarity,
                    strength=strength,
                    confidence=round(confidence, 3),
                    cues=[f'like: "{vote.nearest[:80]}"', *notes],
                )
            )
        return found

    def _polarity(
        self, vote: _Vote, probs: dict[str, float], cues: CueReading
    ) -> tuple[Polarity, Strength, float, list[str]] | None:
        """Combine the model's probabilities with the lexical cues into (polarity, strength, confidence, notes)."""
        t = self._t
        notes = list(cues.notes)
        gap_cue = cues.negated_control
        mitigation_cue = cues.negated_risk or (cues.control and not cues.negation)
        if gap_cue != mitigation_cue and vote.area_score >= t.cue_area_min:
            # A decisive lexical cue settles polarity where the embedding cannot; the cues shift the labels'
            # weight only to judge whether a gap is a blocker, and each shift is recorded in the notes.
            s = dict(probs)
            if cues.negated_control:
                s["gap_high"] += t.cue_strong
                s["gap_medium"] += t.cue_weak
            if cues.blocker and not cues.negated_risk:
                s["gap_high"] += t.cue_weak
            confidence = min(1.0, vote.area_score + t.cue_confidence)
            if mitigation_cue and not (cues.hedge or cues.plan):
                return "mitigation", "medium", confidence, notes
            blocker = cues.blocker or s["gap_high"] >= s["gap_medium"]
            if mitigation_cue or cues.hedge or cues.plan or not blocker:
                return "risk", "medium", confidence, notes
            return "risk", "high", confidence, notes
        return self._model_polarity(vote, probs, cues, notes)

    def _model_polarity(
        self, vote: _Vote, p: dict[str, float], cues: CueReading, notes: list[str]
    ) -> tuple[Polarity, Strength, float, list[str]] | None:
        """Polarity from the linear model's probabilities."""
        t = self._t
        gap = p["gap_high"] + p["gap_medium"]
        if p["neutral"] >= max(gap, p["mitigation"]):
            return None
        if p["mitigation"] >= gap:
            if cues.hedge or cues.plan:
                notes.append("unverified or planned mitigation")
                return "risk", "medium", round(p["mitigation"] * min(1.0, vote.area_score / t.area_full), 3), notes
            return "mitigation", "medium", round(p["mitigation"] * min(1.0, vote.area_score / t.area_full), 3), notes
        if gap < t.model_gap_min:
            return None
        strength: Strength = "high" if p["gap_high"] >= t.model_high_ratio * p["gap_medium"] else "medium"
        if strength == "high" and (cues.plan or cues.hedge) and not cues.blocker:
            strength = "medium"
            notes.append("gap acknowledged with a plan or hedge")
        return "risk", strength, round(gap * min(1.0, vote.area_score / t.area_full), 3), notes
