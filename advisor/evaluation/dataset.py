"""Labelled briefs: NAME.md beside NAME.yaml (rules in evals/LABELLING.md)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from advisor.domain.areas import AreaId
from advisor.domain.risk import Verdict


class Sample(BaseModel):
    """One labelled brief."""

    id: str = Field(description="File stem.")
    split: str = Field(description="'dev' (rules may be tuned on it) or 'heldout' (never tuned on).")
    text: str = Field(description="The brief.")
    verdict: Verdict = Field(description="Labelled verdict.")
    risks: dict[AreaId, str] = Field(default_factory=dict, description="Area -> 'high' or 'medium'.")
    must_not_flag: list[AreaId] = Field(default_factory=list, description="Areas shown handled.")
    themes: list[str] = Field(default_factory=list, description="Remediation themes the plan must contain.")
    domain: str = Field(default="", description="Business domain.")
    style: str = Field(default="", description="Writing style.")


def load_split(folder: Path) -> list[Sample]:
    """All samples in one split folder, sorted by id."""
    samples = []
    for label_file in sorted(folder.glob("*.yaml")):
        labels = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        text = label_file.with_suffix(".md").read_text(encoding="utf-8")
        samples.append(
            Sample(
                id=label_file.stem, split=folder.name, text=text, verdict=labels["verdict"],
                risks=labels.get("risks") or {}, must_not_flag=labels.get("must_not_flag") or [],
                themes=labels.get("themes") or [], domain=labels.get("domain", ""), style=labels.get("style", ""),
            )
        )  # fmt: skip
    return samples


def load_dataset(root: Path, splits: tuple[str, ...] = ("dev", "heldout")) -> list[Sample]:
    """Samples of the named splits."""
    return [s for split in splits if (root / split).is_dir() for s in load_split(root / split)]
