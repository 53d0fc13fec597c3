"""One line of progress: the question number and the areas covered."""

from __future__ import annotations

from textual.widgets import Static

from advisor.domain.interview import PendingQuestion
from advisor.domain.risk import AreaRisk


class ProgressLine(Static):
    """Question n / expected · areas evidenced / ten."""

    def show(self, question: PendingQuestion | None, risks: list[AreaRisk]) -> None:
        """Redraw from the current question and scorecard."""
        covered = sum(r.status == "evidenced" for r in risks)
        where = f"Q{question.number}/{question.expected}" if question else "interview over"
        self.update(f"{where} · areas covered {covered}/{len(risks) or 10}")
