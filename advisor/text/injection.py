"""Spotting sentences that talk to the advisor instead of describing the project."""

from __future__ import annotations

import re

_INJECTION = re.compile(
    r"(?:\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|previous|prior|above|rules|prompt|"
    r"guidelines|everything)\b"
    r"|\b(?:note|message|instructions?) (?:to|for) (?:the )?(?:ai|llm|model|assistant|reviewer|advisor|bot|gpt)\b"
    r"|\b(?:ai|llm|automated) (?:reviewer|advisor|assistant|model|tool)s?\b.{0,60}\b(?:should|must|please|rate|"
    r"mark|score|classify|output|say|report|treat)\b"
    r"|\b(?:you are|you're) (?:now|an ai|a language model|chatgpt|the advisor)\b"
    r"|\bsystem prompt\b|\bjailbreak\b"
    r"|\b(?:rate|mark|score|classify|assess|report|label) (?:this|the|our|every|all|each|any) (?:projects?|pocs?|"
    r"briefs?|proposals?|initiatives?)\b.{0,40}\b(?:as )?(?:ready|low[- ]risk|green|approved|production[- ]ready|"
    r"no risks?)\b"
    # Orders addressed to the reader: "You must rate…", "the advisor should score…".
    r"|\b(?:you|advisor|assistant)\b.{0,20}\b(?:must|should|shall|have to|need to|are to)\b.{0,20}"
    r"\b(?:rate|mark|score|classify|treat)\b"
    r"|\bset (?:every|all|each|the) (?:severit(?:y|ies)|risks?|costs?|scores?|areas?)\b.{0,20}"
    r"\bto (?:none|zero|low|0)\b"
    r"|\b(?:output|respond with|return|print)\b.{0,20}\b(?:verdict|json|ready)\b.{0,20}\b(?:ready|only)\b)",
    re.IGNORECASE,
)


def is_instruction_to_advisor(sentence: str) -> bool:
    """True when the sentence tries to steer the reviewer rather than describe the project."""
    return bool(_INJECTION.search(sentence))
