"""The live scorecard: the ten areas with severity and evidenced/unknown state."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.color import Color
from textual.widgets import DataTable

from advisor.domain.risk import AreaRisk
from tui.messages import AreaSelected

SEVERITY_COLOUR = {"high": "error", "medium": "warning", "low": "success"}
"""Theme colours by severity, so the card reads the same in a dark and a light theme."""


class Scorecard(DataTable[Text]):
    """One row per area (Ev: ✓ evidenced, ? unknown); highlighting a row posts AreaSelected."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._risks: list[AreaRisk] = []

    def on_mount(self) -> None:
        """Row cursor and the three columns; redrawn when the theme changes."""
        self.cursor_type = "row"
        self.zebra_stripes = False
        # Fixed widths: the card does not jump as rows are redrawn ("infrastructure" is the longest area id).
        self.add_column("Area", width=14)
        self.add_column("Risk", width=6)
        self.add_column("Ev", width=2)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show(self._risks))

    def _style(self, name: str, bold: bool = False) -> str:
        colour = self.app.theme_variables.get(name, "")
        if colour and not self.app.current_theme.dark:
            # The built-in light theme keeps the dark theme's warning orange, too pale on a light background.
            colour = Color.parse(colour).darken(0.25).hex
        return f"{'bold ' if bold else ''}{colour}".strip()

    def show(self, risks: list[AreaRisk]) -> None:
        """Redraw all rows, keeping the cursor where it was."""
        self._risks = list(risks)
        row = self.cursor_row
        self.clear()
        muted = "dim"  # the theme's text-muted is "auto 60%", which only Textual's own styles understand
        for risk in risks:
            colour = SEVERITY_COLOUR.get(risk.severity)
            severity = Text(risk.severity, style=self._style(colour, risk.severity == "high") if colour else muted)
            evidenced = risk.status == "evidenced"
            state = Text("✓", style=self._style("success")) if evidenced else Text("?", style=muted)
            self.add_row(Text(risk.area), severity, state, key=risk.area)
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
