"""What the advisor has on one area: its rationale, the team's quotes and the knowledge behind it."""

from __future__ import annotations

from textual.widgets import Markdown

from advisor.domain.risk import AreaRisk


def evidence_markdown(risk: AreaRisk) -> str:
    """The area's severity, rationale, evidence quotes and knowledge passages."""
    lines = [f"**{risk.title}** · {risk.severity} · {risk.status}", "", risk.rationale]
    if risk.evidence:
        lines += ["", "**Evidence**"]
        lines += [f"- ({e.polarity}) “{e.quote}” — *{e.source}*" for e in risk.evidence]
    else:
        lines += ["", "*No evidence yet: the interview will ask.*"]
    if risk.knowledge:
        lines += ["", "**Knowledge**"]
        lines += [f"- {k.title}: {k.excerpt}" for k in risk.knowledge[:3]]
    return "\n".join(lines)


class EvidencePane(Markdown):
    """Shows the selected area's evidence."""

    def show(self, risk: AreaRisk | None) -> None:
        """Show this area (or a hint when none is selected)."""
        self.update(evidence_markdown(risk) if risk else "*Select an area to see its evidence.*")
