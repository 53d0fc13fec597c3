"""Lexical cues that embeddings miss: negation scope, hedges, plans, blockers, concrete controls.

Sentence embeddings place "we have no monitoring" close to "monitoring is live"; these cues decide the
polarity the embedding cannot. They are generic English, not tuned to any brief.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NEGATORS = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|neither|nor|without|lack(?:s|ing)?|missing|absent|zero|cannot|"
    r"no[- ]one|n't|isnt|dont|doesnt|havent|hasnt|arent|wont|cant)\b|n't\b",
    re.IGNORECASE,
)
_SCOPE_END = re.compile(r"[,;:()]|\b(?:but|however|although|though|yet|so|and we|while|which)\b", re.IGNORECASE)

# Negating one of these removes a risk ("no PII is involved"): the sentence is a mitigation.
RISK_NOUNS = re.compile(
    r"\b(?:pii|phi|personal(?:ly)?(?: identifiable)? (?:data|information|details)|personal data|sensitive|"
    r"special[- ]category|patient|health (?:data|records)|medical records|card (?:data|numbers)|biometric|"
    r"minors|children|payroll|salary data|employee (?:records|data|names|files)|"
    r"(?:customer|client|patient|citizen|user|member|staff) (?:data|records|information|details|names)|"
    r"legacy|mainframe|cobol|write[- ]?back|regulated|regulator|customer (?:names|data|records)|"
    r"identifiable|names|emails|free[- ]text|external (?:users|customers)|real[- ]time|hard deadline|"
    r"fixed date|cross[- ]border|leaves? (?:the|our) (?:eu|country|network|tenant)|worr(?:y|ies|ied)|concerns?|"
    r"problems?|issues?|risks?|blockers?|bottlenecks?|show[- ]?stoppers?|promised|promises?|committed|"
    r"guaranteed|open (?:items|findings|points))\b",
    re.IGNORECASE,
)
# Negating one of these names a missing control ("no monitoring"): the sentence is a gap.
CONTROL_NOUNS = re.compile(
    r"\b(?:monitor\w*|alert\w*|owner\w*|rollback|roll back|retrain\w*|budget\w*|plan|plans|metric\w*|kpis?|"
    r"baseline|success criteri\w+|business case|roi|pipeline\w*|tests?|testing|dpia|privacy (?:review|impact)|"
    r"review\w*|encrypt\w*|audit\w*|document\w*|access control\w*|sla|on[- ]call|runbook\w*|registry|"
    r"version\w*|engineer\w*|devops|mlops|serving|platform|integration|load[- ]test\w*|benchmark\w*|"
    r"governance|polic(?:y|ies)|sign[- ]?off|approv\w*|lineage|data dictionary|vault|key management|"
    r"sponsor|champion|accountab\w*|idea|clue|visibility|process|strategy|support|staff|headcount|capacity|"
    r"infrastructure|environment|hardware|gpus?|schema|contract|agreement|evaluation|eval set|ground truth|"
    r"labels|fallback|override|oversight|human review|explainab\w*|fairness|bias check\w*|playbook|"
    r"decision|target|timeline|deadline agreed|estimate|answer|access|connection|connectivity|api)\b",
    re.IGNORECASE,
)
HEDGES = re.compile(
    r"\b(?:probably|presumably|likely fine|should be (?:fine|ok|okay)|we think|we believe|we assume|assum\w+|"
    r"hopefully|not (?:yet )?verified|unverified|untested|not (?:yet )?tested|not sure|unsure|unclear|"
    r"tbd|tbc|to be (?:confirmed|decided|determined)|in theory|maybe|might|may need|not (?:fully )?confirmed|"
    r"as far as we know|afaik|i think|we guess|fingers crossed|not checked|haven't checked)\b",
    re.IGNORECASE,
)
PLANS = re.compile(
    r"\b(?:planned|scheduled|in progress|underway|under way|being (?:built|hired|set up|drafted|written|added|"
    r"rolled out|reviewed|recruited)|(?:we are|we're|currently) (?:hiring|recruiting|building|drafting|adding|"
    r"setting up|working on|migrating|onboarding)|budgeted for|next (?:sprint|month|quarter)|by q[1-4]|in q[1-4]|"
    r"will (?:be )?(?:add|added|set up|hire|hired|build|built|introduce|introduced|put in place|address|addressed|"
    r"start|started)|drafting|kicked off|booked|on the roadmap|backlog|interim|stopgap|partially|partly|"
    r"some but not all|half of)\b",
    re.IGNORECASE,
)
BLOCKERS = re.compile(
    r"\b(?:only (?:one|1|a single)|single (?:person|analyst|engineer|developer|point)|sole|one person|"
    r"(?:is|are|'s|'re) leaving|leaves (?:us|the (?:company|team|firm|bank|business)|in|at the end|next|soon)|"
    r"resign\w*|quit\w*|notice period|handed in (?:her|his|their) notice|"
    r"pasted|hard[- ]?coded|plain ?text|in the notebook|in (?:the )?code|"
    r"air[- ]?gapped|closed network|no budget|nobody|no[- ]one|promised|guaranteed|committed to|by hand|"
    r"manually|spreadsheet|excel|impossible|blocked|prohibit\w*|not allowed|forbid\w*|refus\w*|"
    r"(?:in|within) (?:two|three|four|five|six|2|3|4|5|6) weeks|no idea|no clue)\b",
    re.IGNORECASE,
)
CONTROLS = re.compile(
    r"\b(?:in place|is live|are live|went live|live since|automated|signed(?: off)?|approved|completed|"
    r"passed|owns|owned by|accountable|on[- ]call|pages|documented|audited|encrypted|rotat\w+|"
    r"vault|key vault|secrets? manager|confirmed|load[- ]tested|stress[- ]tested|benchmarked|dedicated|agreed|"
    r"in production|already (?:have|run|use|integrated|connected)|we have (?:a|an)|has been (?:done|completed|"
    r"approved|reviewed)|established|running (?:since|for)|versioned|registry|tracked|reviewed by|"
    r"mitigated|addressed|handled|covered|anonymi[sz]ed|pseudonymi[sz]ed|tokeni[sz]ed|masked|redacted)\b",
    re.IGNORECASE,
)


@dataclass
class CueReading:
    """What the lexical layer saw in one sentence."""

    negated_risk: bool = False
    negated_control: bool = False
    negation: bool = False
    hedge: bool = False
    plan: bool = False
    blocker: bool = False
    control: bool = False
    notes: list[str] = field(default_factory=list)


def _negation_scopes(text: str) -> list[str]:
    """The few words after each negator, cut at punctuation or a contrasting conjunction."""
    scopes = []
    for match in NEGATORS.finditer(text):
        rest = text[match.end() :]
        end = _SCOPE_END.search(rest)
        window = rest[: end.start()] if end else rest
        scopes.append(" ".join(window.split()[:6]))
    return scopes


def read_cues(text: str) -> CueReading:
    """Lexical cues of one sentence."""
    reading = CueReading()
    scopes = _negation_scopes(text)
    reading.negation = bool(scopes)
    for scope in scopes:
        risk = RISK_NOUNS.search(scope)
        control = CONTROL_NOUNS.search(scope)
        # The noun nearest the negator wins: "no PII in the pipeline" negates PII, not the pipeline.
        if risk and (not control or risk.start() <= control.start()):
            reading.negated_risk = True
            reading.notes.append(f"negated risk: '{risk.group(0)}'")
        elif control:
            reading.negated_control = True
            reading.notes.append(f"missing: '{control.group(0)}'")
    for name, pattern in (("hedge", HEDGES), ("plan", PLANS), ("blocker", BLOCKERS), ("control", CONTROLS)):
        found = pattern.search(text)
        if name == "blocker" and found and any(found.group(0) in scope for scope in scopes):
            # "No date has been promised": the blocker word is itself negated.
            reading.negated_risk = True
            reading.notes.append(f"negated blocker: '{found.group(0)}'")
            continue
        if found:
            setattr(reading, name, True)
            reading.notes.append(f"{name}: '{found.group(0)}'")
    return reading
