"""The live scorecard: the ten areas with severity and evidenced/unknown state."""

from __future__ import annotations

from textual import on
from textual.widgets import DataTable

from advisor.domain.risk import AreaRisk
from tui.messages import AreaSelected

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "green", "none": "dim"}


class Scorecard(DataTable[str]):
    """One row per area (Ev: ✓ evidenced, ? unknown); highlighting a row posts AreaSelected."""

    def on_mount(self) -> None:
        """Row cursor and the three columns."""
        self.cursor_type = "row"
        self.zebra_stripes = False
        self.add_columns("Area", "Risk", "Ev")

    def show(self, risks: list[AreaRisk]) -> None:
        """Redraw all rows, keeping the cursor where it was."""
        row = self.cursor_row
        self.clear()
        for risk in risks:
            style = SEVERITY_STYLE.get(risk.severity, "")
            severity = f"[{style}]{risk.severity}[/]" if style else risk.severity
            state = "[green]✓[/]" if risk.status == "evidenced" else "[dim]?[/]"
            self.add_row(risk.area, severity, state, key=risk.area)
        if risks:
            self.move_cursor(row=min(row, len(risks) - 1), animate=False)

    def cells(self) -> dict[str, tuple[str, str]]:
        """Area → (severity, state) as plain text (for tests)."""
        out: dict[str, tuple[str, str]] = {}
        for key in self.rows:
            _, severity, state = (str(c) for c in self.get_row(key))
            out[str(key.value)] = (severity, state)
        return out

    @on(DataTable.RowHighlighted)
    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowHighlighted | DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(AreaSelected(event.row_key.value))
