"""Report rendering: JSON, Markdown, and HTML with inline SVG charts."""

from advisor.render.html import render_html
from advisor.render.markdown import render_markdown

FORMATS = ("md", "json", "html")


def render(report: object, fmt: str) -> str:
    """The report in one of FORMATS."""
    from advisor.domain.report import Report

    assert isinstance(report, Report)
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "html":
        return render_html(report)
    return render_markdown(report)


__all__ = ["FORMATS", "render", "render_html", "render_markdown"]
