"""Prompt templates: Markdown files in prompts/ with named placeholders, rendered with str.format_map."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_SYSTEM_MARK = "<!-- system -->"
_USER_MARK = "<!-- user -->"


def default_prompts_dir() -> Path:
    """prompts/ at the root of a checkout; the copy bundled into an installed wheel otherwise."""
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_bundled" / "prompts"


@dataclass(frozen=True)
class Prompt:
    """A rendered prompt: the system message (the rules) and the user message (the data)."""

    system: str
    user: str


def load_template(name: str, prompts_dir: Path | None = None) -> str:
    """The raw text of prompts/<name>.md."""
    return ((prompts_dir or default_prompts_dir()) / f"{name}.md").read_text(encoding="utf-8")


def render(template: str, values: dict[str, str]) -> Prompt:
    """Fill the placeholders and split at the '<!-- user -->' line; text above it is the system message.

    Only the template is parsed for placeholders, so braces inside the values (a brief quoting JSON) are safe.
    A missing value raises KeyError naming the placeholder.
    """
    text = template.format_map(values)
    system, marker, user = text.partition(_USER_MARK)
    if not marker:
        return Prompt(system="", user=text.strip())
    return Prompt(system=system.replace(_SYSTEM_MARK, "").strip(), user=user.strip())


def render_prompt(name: str, values: dict[str, str], prompts_dir: Path | None = None) -> Prompt:
    """Load prompts/<name>.md and render it."""
    return render(load_template(name, prompts_dir), values)
