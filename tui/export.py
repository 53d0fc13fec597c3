"""Writing the report in every format next to the user."""

from __future__ import annotations

from pathlib import Path

from advisor.domain.report import Report
from advisor.portfolio.files import write_atomically
from advisor.render import FORMATS, render


def export_report(report: Report, folder: Path, stem: str) -> list[Path]:
    """Write stem.md, stem.json and stem.html into folder, each atomically; return the paths."""
    paths = []
    for fmt in FORMATS:
        path = folder / f"{stem}.{fmt}"
        write_atomically(path, render(report, fmt))
        paths.append(path)
    return paths
