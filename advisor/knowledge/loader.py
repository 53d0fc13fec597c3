"""Reads the knowledge folder into typed models and hashes its content."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from advisor.domain.areas import AREA_IDS, AreaId
from advisor.knowledge.models import Card, Question, Rates, RemediationSpec, SignalBank

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


class KnowledgeError(ValueError):
    """The knowledge folder is missing a file or a file is malformed."""


def default_knowledge_dir() -> Path:
    """The source tree's knowledge/ when running from a checkout, else the copy bundled in the wheel."""
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "knowledge"
    if (checkout / "remediation.yaml").is_file():
        return checkout
    return package / "_bundled" / "knowledge"


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything in knowledge/, typed and hashed."""

    root: Path
    cards: dict[AreaId, Card]
    signals: dict[AreaId, SignalBank]
    questions: list[Question]
    actions: dict[str, RemediationSpec]
    rates: Rates
    version: str = field(default="")

    def questions_for(self, area: AreaId) -> list[Question]:
        """Questions about one area, most important first."""
        return sorted((q for q in self.questions if q.area == area), key=lambda q: (q.priority, q.id))


def _read_yaml(path: Path) -> Any:
    try:
        # The C loader parses the 1,600 example sentences about five times faster than the pure-Python one.
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"knowledge file missing: {path}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"knowledge file is not valid YAML: {path}: {exc}") from exc


def parse_card(path: Path, root: Path) -> Card:
    """Front matter + '## ' sections of one card."""
    match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise KnowledgeError(f"card has no YAML front matter: {path}")
    meta = yaml.safe_load(match.group(1)) or {}
    sections: dict[str, str] = {}
    current = None
    for line in match.group(2).splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    sections = {k: v.strip() for k, v in sections.items()}
    try:
        return Card(**meta, sections=sections, path=str(path.relative_to(root)))
    except ValidationError as exc:
        raise KnowledgeError(f"card {path} is malformed: {exc.errors()[0]['msg']}") from exc


def content_hash(root: Path) -> str:
    """Hash of every knowledge file's path and bytes: the store is rebuilt only when this changes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".md", ".yaml", ".yml"}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_knowledge(root: Path | None = None, rates_override: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge folder."""
    root = (root or default_knowledge_dir()).resolve()
    if not root.is_dir():
        raise KnowledgeError(f"knowledge folder not found: {root}")
    try:
        cards = {area: parse_card(root / "cards" / f"{area}.md", root) for area in AREA_IDS}
        signals = {area: SignalBank(**_read_yaml(root / "signals" / f"{area}.yaml")) for area in AREA_IDS}
        questions = [Question(**q) for q in _read_yaml(root / "questions.yaml")["questions"]]
        actions_list = [RemediationSpec(**a) for a in _read_yaml(root / "remediation.yaml")["actions"]]
        rates_data = _read_yaml(root / "rates.yaml")
        if rates_override is not None:
            override = _read_yaml(rates_override) or {}
            roles = {**rates_data.get("roles", {}), **override.pop("roles", {})}
            rates_data = {**rates_data, **override, "roles": roles}
        rates = Rates(**rates_data)
    except FileNotFoundError as exc:
        raise KnowledgeError(f"knowledge file missing: {exc.filename}") from exc
    except (ValidationError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"knowledge is malformed: {exc}") from exc
    actions = {a.id: a for a in actions_list}
    for action in actions_list:
        for dep in action.depends_on:
            if dep not in actions:
                raise KnowledgeError(f"action {action.id} depends on unknown action {dep}")
        for role in action.roles:
            if role not in rates.roles:
                raise KnowledgeError(f"action {action.id} uses role {role} with no rate")
    version = content_hash(root)
    if rates_override is not None:
        version += "+rates:" + hashlib.sha256(rates_override.read_bytes()).hexdigest()[:8]
    return KnowledgeBase(root, cards, signals, questions, actions, rates, version)


@lru_cache(maxsize=4)
def cached_knowledge(root: Path | None = None, rates_override: Path | None = None) -> KnowledgeBase:
    """load_knowledge, once per process per folder."""
    return load_knowledge(root, rates_override)
