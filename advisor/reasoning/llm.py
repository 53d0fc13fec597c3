"""The LLM reasoner: an OpenAI-compatible model proposes evidence; code keeps only what the text really says.

The model sees the brief with instructions-to-the-advisor already removed, returns typed evidence items,
and every quote is checked against the text (a quote that is not there is dropped and counted). Facts that
code can check (timeline, value, team size, scale) are read by code, as in the offline engine. When the
endpoint stays down, the whole extraction is handed to the fallback reasoner and the hand-off is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from advisor.domain.areas import AREA_IDS, AREA_MEANINGS, AreaId
from advisor.domain.evidence import Evidence, Polarity, Strength
from advisor.llm.client import LLMUnavailable, StructuredLLM, Usage, make_openai_client
from advisor.llm.prompts import load_template, render
from advisor.llm.settings import LLMSettings, redaction_enabled
from advisor.privacy import PLACEHOLDERS, describe_counts, redact
from advisor.reasoning.base import Extraction, Judgement, Reasoner, Wording
from advisor.text.facts import extract_facts
from advisor.text.injection import is_instruction_to_advisor
from advisor.text.sentences import Sentence, split_sentences

PROMPT_NAME = "extract_evidence"
ANSWER_CONTEXT_PROMPT = "extract_evidence_answer"
"""Framing added to the user message when the text is an interview answer (placeholders {area}, {question})."""
# A sentence carrying the prompt's own delimiter could close the data block early; it is never project content.
_DELIMITER = re.compile(r"</?\s*brief\s*>", re.IGNORECASE)
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
_AREA_LINES = "\n".join(f"- {area}: {AREA_MEANINGS[area]}" for area in AREA_IDS)


class ProposedEvidence(BaseModel):
    """One piece of evidence the model proposes; kept only if its quote is found verbatim in the text."""

    area: AreaId = Field(description="The risk area the quote bears on (one of the ten ids).")
    quote: str = Field(description="Words copied verbatim from one sentence of the brief.")
    polarity: Polarity = Field(description="'risk' when the quote shows a gap, 'mitigation' when it shows it handled.")
    strength: Strength = Field(
        description="'high' when the quote shows a production blocker on its own, 'medium' for partial evidence "
        "(always 'medium' for a mitigation)."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="How sure the reader is of area and polarity, 0 to 1.")
    reason: str = Field(description="One short sentence on why the quote shows this.")


class EvidenceProposals(BaseModel):
    """The evidence items found in a brief; an empty list when it gives none."""

    items: list[ProposedEvidence] = Field(description="Every evidence item found, in the order of the brief.")


@dataclass(frozen=True)
class _Located:
    sentence: Sentence
    """The sentence the quote is filed under (its first, when the quote runs across a boundary)."""
    quote: str
    """What the evidence reports: the whole sentence for a quote inside one, the model's words across several."""
    fragment: str | None
    """The model's words when they were less than the whole sentence; None when they were the sentence."""
    spanned: tuple[Sentence, ...] = ()
    """Every sentence the quote runs across (just the one for a quote inside a sentence)."""


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _clean_quote(quote: str) -> str:
    """The model's quote without the wrapping quote marks and ellipses it sometimes adds."""
    quote = quote.strip()
    if len(quote) >= 2 and _QUOTE_PAIRS.get(quote[0]) == quote[-1]:
        quote = quote[1:-1]
    for ellipsis in ("...", "…"):
        quote = quote.removeprefix(ellipsis).removesuffix(ellipsis)
    return _normalise(quote)


def _locate(quote: str, sentences: list[Sentence]) -> _Located | None:
    """The sentence holding the quote (whitespace-normalised, case-sensitive), or None when it is not in the text."""
    wanted = _clean_quote(quote)
    if not wanted:
        return None
    normalised = [_normalise(s.text) for s in sentences]
    for sentence, text in zip(sentences, normalised, strict=True):
        if wanted in text:
            # A fragment is reported as its whole sentence so the finding reads in context.
            return _Located(sentence, sentence.text, None if wanted == text else wanted, (sentence,))
    # A quote that runs across a sentence boundary is still the team's words; it is filed under its first sentence.
    joined = " ".join(normalised)
    start = joined.find(wanted)
    if start < 0:
        return None
    end = start + len(wanted)
    offset = 0
    spanned: list[Sentence] = []
    for sentence, text in zip(sentences, normalised, strict=True):
        if start < offset + len(text) + 1 and end > offset:
            spanned.append(sentence)
        offset += len(text) + 1
    return _Located(spanned[0], wanted, wanted, tuple(spanned)) if spanned else None


class PhrasedQuestion(BaseModel):
    """The reply to phrase_question."""

    question: str = Field(description="The rephrased question, at most 35 words, ending with a question mark.")


class AnswerCheck(BaseModel):
    """The reply to judge_answer."""

    sufficient: bool = Field(description="True when the answer says enough to judge that part of the project.")
    reason: str = Field(description="A few words on why.")


class Summary(BaseModel):
    """The reply to narrate."""

    summary: str = Field(description="Three to five sentences restating the given facts.")


_NUMBER = re.compile(r"\d[\d,.]*")


def _numbers(text: str) -> set[str]:
    return {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(text)}


class LLMReasoner:
    """Evidence proposed by an LLM and verified against the text; the fallback reasoner when the LLM is down."""

    engine = "llm"

    def __init__(
        self,
        llm: StructuredLLM,
        fallback: Reasoner,
        model_name: str,
        *,
        prompts_dir: Path | None = None,
        max_chars_per_call: int = 12_000,
        safety_net: bool = True,
        redact: bool = True,
    ) -> None:
        self._llm = llm
        self._fallback = fallback
        self._model = model_name
        self._template = load_template(PROMPT_NAME, prompts_dir)
        self._answer_template = load_template(ANSWER_CONTEXT_PROMPT, prompts_dir)
        self._phrase_template = load_template("phrase_question", prompts_dir)
        self._judge_template = load_template("judge_answer", prompts_dir)
        self._narrate_template = load_template("narrate", prompts_dir)
        self._max_chars = max_chars_per_call
        self._safety_net = safety_net
        self._redact = redact

    @property
    def model(self) -> str:
        """The model behind the engine."""
        return self._model

    def extract(self, text: str, source: str, area_hint: AreaId | None = None, context: str = "") -> Extraction:
        """Evidence, facts and notices for one text; the fallback's extraction if the endpoint stays down.

        For an interview answer, area_hint is the question's area and context the question: both go into the
        prompt so a terse answer ("Nobody yet.") is read against its question, while quotes stay the answer's.
        """
        notices: list[str] = []
        readable: list[Sentence] = []
        sentences = split_sentences(text)
        for sentence in sentences:
            if self._is_instruction(sentence.text):
                notices.append(f'Ignored an instruction aimed at the advisor: "{sentence.text[:120]}"')
            else:
                readable.append(sentence)
        answer = " ".join(text.split())
        if not sentences and area_hint is not None and answer and not self._is_instruction(answer):
            # The splitter drops pieces under three words, but "Nobody yet." answers a question.
            readable = [Sentence(0, answer, "")]
        # What leaves the machine is the redacted text; quotes are checked against it and reported as the original.
        sent, counts = self._redact_sentences(readable)
        question = self._scrub(context, counts)
        redaction_notice = f"Redacted before sending to the LLM: {describe_counts(counts)}" if counts else ""
        framing = ""
        if area_hint is not None or context:
            framing = render(self._answer_template, {"area": area_hint or "any", "question": question}).user + "\n\n"
        usage = Usage()
        proposals: list[ProposedEvidence] = []
        try:
            for chunk in self._chunks(sent):
                values = {"areas": _AREA_LINES, "context": framing, "brief": self._render_brief(chunk)}
                prompt = render(self._template, values)
                reply, spent = self._llm.complete(prompt.system, prompt.user, EvidenceProposals)
                usage += spent
                proposals.extend(reply.items)
        except LLMUnavailable as error:
            fallen = self._fall_back(text, source, area_hint, context, error.reason, usage + error.usage)
            if redaction_notice:
                fallen = fallen.model_copy(update={"notices": [*fallen.notices, redaction_notice]})
            return fallen
        originals = {sentence.index: sentence.text for sentence in readable}
        evidence, rejected = self._verify(proposals, sent, source, originals)
        if rejected:
            notices.append(
                f"Rejected {rejected} evidence item(s) proposed by the LLM whose quote does not appear in the text."
            )
        if self._safety_net:
            evidence, kept = self._keep_offline_blockers(text, source, area_hint, context, evidence)
            if kept:
                notices.append(f"Kept {kept} blocker(s) the offline engine found and the LLM did not report.")
        if redaction_notice:
            notices.append(redaction_notice)
        return Extraction(
            evidence=evidence,
            facts=extract_facts(readable, source),
            notices=notices,
            llm_calls=usage.calls,
            tokens=usage.total_tokens,
        )

    def _keep_offline_blockers(
        self, text: str, source: str, area_hint: AreaId | None, context: str, evidence: list[Evidence]
    ) -> tuple[list[Evidence], int]:
        """Blockers the offline engine reads in a sentence stay, whatever the LLM says of it.

        An LLM talked round by an instruction in the brief could call a pasted API key a mitigation, or leave
        it out; the offline reading of the same sentence is immune to that, so code keeps it, and drops an
        LLM mitigation of that same sentence and area.
        """
        blockers = [
            e
            for e in self._fallback.extract(text, source, area_hint, context).evidence
            if e.polarity == "risk" and e.strength == "high"
        ]
        kept = 0
        for blocker in blockers:
            same = [e for e in evidence if e.area == blocker.area and e.source == blocker.source]
            if any(e.polarity == "risk" for e in same):
                continue
            evidence = [e for e in evidence if e not in same]
            cue = "offline safety net: a blocker the LLM did not report as one"
            evidence.append(blocker.model_copy(update={"cues": [*blocker.cues, cue]}))
            kept += 1
        return evidence, kept

    @property
    def redacts(self) -> bool:
        """Whether personal data is redacted from every text before it is sent to the endpoint."""
        return self._redact

    def _scrub(self, text: str, counts: dict[str, int] | None = None) -> str:
        """The text as it may be sent: redacted when redaction is on; what was replaced is added to counts."""
        if not self._redact or not text:
            return text
        redaction = redact(text)
        if counts is not None:
            for kind, found in redaction.counts.items():
                counts[kind] = counts.get(kind, 0) + found
        return redaction.text

    def _redact_sentences(self, sentences: list[Sentence]) -> tuple[list[Sentence], dict[str, int]]:
        """The sentences as they are sent (same index), and what was redacted; each heading counted once."""
        counts: dict[str, int] = {}
        if not self._redact:
            return sentences, counts
        headings: dict[str, str] = {}
        sent: list[Sentence] = []
        for sentence in sentences:
            if sentence.heading not in headings:
                headings[sentence.heading] = self._scrub(sentence.heading, counts)
            sent.append(Sentence(sentence.index, self._scrub(sentence.text, counts), headings[sentence.heading]))
        return sent, counts

    def _has_placeholder(self, text: str) -> bool:
        """A reply echoing a placeholder cannot be shown: the words it stands for never reached the model."""
        return self._redact and any(placeholder in text for placeholder in PLACEHOLDERS.values())

    def _chunks(self, sentences: list[Sentence]) -> list[list[Sentence]]:
        """Consecutive runs of sentences that fit one request; a typical brief is a single chunk."""
        chunks: list[list[Sentence]] = []
        size = 0
        for sentence in sentences:
            if chunks and size + len(sentence.text) + 1 <= self._max_chars:
                chunks[-1].append(sentence)
                size += len(sentence.text) + 1
            else:
                chunks.append([sentence])
                size = len(sentence.text) + 1
        return chunks

    def _without_instructions(self, text: str) -> str:
        """The text less its sentences aimed at the advisor: no prompt carries them, whichever step builds it."""
        sentences = split_sentences(text)
        if not any(self._is_instruction(sentence.text) for sentence in sentences):
            return text  # as written: the splitter drops short pieces ("Nobody yet.") that still answer
        return " ".join(sentence.text for sentence in sentences if not self._is_instruction(sentence.text))

    @staticmethod
    def _is_instruction(text: str) -> bool:
        """Words aimed at the advisor, or the prompt's own delimiter (which could close the data block early)."""
        return is_instruction_to_advisor(text) or bool(_DELIMITER.search(text))

    @staticmethod
    def _render_brief(sentences: list[Sentence]) -> str:
        """One sentence per line under its heading: a terse bullet ('None yet.') needs the heading to mean much."""
        lines: list[str] = []
        heading = ""
        for sentence in sentences:
            if sentence.heading != heading:
                heading = sentence.heading
                if heading and not LLMReasoner._is_instruction(heading):
                    lines.append(f"## {heading}")
            lines.append(sentence.text)
        return "\n".join(lines)

    @staticmethod
    def _verify(
        proposals: list[ProposedEvidence],
        sentences: list[Sentence],
        source: str,
        originals: dict[int, str] | None = None,
    ) -> tuple[list[Evidence], int]:
        """Evidence whose quotes are in the text, one per (sentence, area, polarity); and how many were rejected.

        sentences are the ones the model saw; originals maps their index to the team's own words when they
        were redacted, so a report quotes the original sentence (it stays on this machine).
        """
        originals = originals or {}
        kept: dict[tuple[int, AreaId, Polarity], Evidence] = {}
        rejected = 0
        for item in proposals:
            located = _locate(item.quote, sentences)
            if located is None:
                rejected += 1
                continue
            sentence = located.sentence
            quote = located.quote
            if any(originals.get(s.index, s.text) != s.text for s in located.spanned):
                quote = " ".join(originals[s.index] for s in located.spanned)
            cues = [f"llm: {item.reason.strip()[:200]}"]
            if located.fragment is not None:
                cues.append(f'llm quoted: "{located.fragment[:200]}"')
            # A mitigation has no blocker strength; the scoring code reads 'high' only on risks.
            strength: Strength = item.strength if item.polarity == "risk" else "medium"
            evidence = Evidence(
                area=item.area,
                quote=quote,
                source=f"{source}#s{sentence.index}",
                polarity=item.polarity,
                strength=strength,
                confidence=round(item.confidence, 3),
                cues=cues,
            )
            key = (sentence.index, item.area, item.polarity)
            if key not in kept or kept[key].confidence < evidence.confidence:
                kept[key] = evidence
        order = sorted(kept, key=lambda k: (k[0], AREA_IDS.index(k[1]), k[2]))
        return [kept[k] for k in order], rejected

    def phrase_question(self, question: str, why: str, known: str) -> Wording:
        """The question reworded for this team; the bank's wording when the reply is unusable or the LLM down."""
        values = {
            "question": self._scrub(question),
            "why": self._scrub(why),
            "known": self._scrub(self._without_instructions(known)) or "nothing yet",
        }
        prompt = render(self._phrase_template, values)
        try:
            reply, spent = self._llm.complete(prompt.system, prompt.user, PhrasedQuestion)
        except LLMUnavailable as error:
            return self._fallback.phrase_question(question, why, known).model_copy(
                update={"fallback": f"phrase_question: {error.reason}", "llm_calls": error.usage.calls}
            )
        text = " ".join(reply.question.split())
        unusable = not text.endswith("?") or len(text) > 300 or self._is_instruction(text)
        if unusable or self._has_placeholder(text):
            return Wording(
                text=question,
                fallback="phrase_question: unusable reply",
                llm_calls=spent.calls,
                tokens=spent.total_tokens,
            )
        return Wording(text=text, llm_calls=spent.calls, tokens=spent.total_tokens)

    def judge_answer(self, question: str, answer: str, found_on_area: bool) -> Judgement:
        """The LLM's judgement of sufficiency; evidence already found on the area is always enough."""
        if found_on_area:
            return Judgement(sufficient=True, reason="evidence found on the area")
        sent_answer = self._scrub(self._without_instructions(answer))
        prompt = render(self._judge_template, {"question": self._scrub(question), "answer": sent_answer})
        try:
            reply, spent = self._llm.complete(prompt.system, prompt.user, AnswerCheck)
        except LLMUnavailable as error:
            return self._fallback.judge_answer(question, answer, found_on_area).model_copy(
                update={"fallback": f"judge_answer: {error.reason}", "llm_calls": error.usage.calls}
            )
        return Judgement(
            sufficient=reply.sufficient, reason=reply.reason[:200], llm_calls=spent.calls, tokens=spent.total_tokens
        )

    def narrate(self, facts: str, draft: str) -> Wording:
        """A readable summary that may only restate the facts: a new number or a changed opening is rejected."""
        # The checks below compare the reply with what the model was shown: the redacted facts and draft.
        facts, sent_draft = self._scrub(facts), self._scrub(draft)
        prompt = render(self._narrate_template, {"facts": facts, "draft": sent_draft})
        try:
            reply, spent = self._llm.complete(prompt.system, prompt.user, Summary)
        except LLMUnavailable as error:
            return self._fallback.narrate(facts, draft).model_copy(
                update={"fallback": f"narrate: {error.reason}", "llm_calls": error.usage.calls}
            )
        return self._guarded(reply.summary, facts, sent_draft, draft, spent)

    def narrate_stream(self, facts: str, draft: str, emit: Callable[[str], None]) -> Wording:
        """narrate() as plain text streamed token by token to emit; the whole is then guarded the same way.

        The chunks are shown before the guard can judge them, so a rejected narrative is one the host must
        replace with the returned (offline) text; the Wording's fallback says why.
        """
        facts, sent_draft = self._scrub(facts), self._scrub(draft)
        prompt = render(self._narrate_template, {"facts": facts, "draft": sent_draft})
        try:
            text, spent = self._llm.stream_text(prompt.system, prompt.user, emit)
        except LLMUnavailable as error:
            return self._fallback.narrate(facts, draft).model_copy(
                update={
                    "fallback": f"narrate: {error.reason}",
                    "llm_calls": error.usage.calls,
                    "tokens": error.usage.total_tokens,
                }
            )
        return self._guarded(text, facts, sent_draft, draft, spent)

    def _guarded(self, reply: str, facts: str, sent_draft: str, draft: str, spent: Usage) -> Wording:
        """The model's summary if it only restates the facts, else the draft with the reason it was rejected."""
        text = " ".join(reply.split())
        opening = sent_draft.split(".")[0]
        invented = _numbers(text) - _numbers(facts) - _numbers(sent_draft)
        placeholder = self._has_placeholder(text)
        if not text.startswith(opening) or invented or len(text) > 1500 or placeholder:
            why = f"invented figures {sorted(invented)}" if invented else "changed the verdict or too long"
            if placeholder and not invented:
                why = "it kept a redaction placeholder"
            return Wording(
                text=draft,
                fallback=f"narrate: reply rejected ({why})",
                llm_calls=spent.calls,
                tokens=spent.total_tokens,
            )
        return Wording(text=text, llm_calls=spent.calls, tokens=spent.total_tokens)

    def _fall_back(
        self, text: str, source: str, area_hint: AreaId | None, context: str, reason: str, spent: Usage
    ) -> Extraction:
        fallback = self._fallback.extract(text, source, area_hint, context)
        return fallback.model_copy(
            update={
                "fallbacks": [*fallback.fallbacks, f"extract: {reason}"],
                "llm_calls": fallback.llm_calls + spent.calls,
                "tokens": fallback.tokens + spent.total_tokens,
            }
        )


def build_llm_reasoner(settings: LLMSettings, fallback: Reasoner) -> LLMReasoner:
    """The composition root's one-liner: client, structured-output wrapper and reasoner from settings."""
    llm = StructuredLLM.from_settings(make_openai_client(settings), settings)
    return LLMReasoner(llm, fallback, settings.model, redact=redaction_enabled(settings))
