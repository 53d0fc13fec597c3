"""Turning a file or a string into a Brief, or one clear line saying why not."""

from __future__ import annotations

import hashlib
from pathlib import Path

from advisor.domain.brief import Brief
from advisor.text.language import looks_english


class BriefError(ValueError):
    """A brief that cannot be assessed; str(error) is the one-line reason shown to the user."""


_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)}


def _decode(data: bytes, label: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BriefError(f"{label}: broken UTF-16 text") from exc
    if b"\x00" in data[:8192]:
        raise BriefError(f"{label}: looks like a binary file, not a text brief")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BriefError(
            f"{label}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and try again"
        ) from exc
    sample = text[:8192]
    if sample and sum(ord(ch) in _CONTROL for ch in sample) / len(sample) > 0.05:
        raise BriefError(f"{label}: looks like a binary file, not a text brief")
    return text


def brief_from_text(text: str, name: str = "brief", source: str = "api", max_bytes: int | None = None) -> Brief:
    """Validate text given directly (API, stdin) and wrap it as a Brief; errors name the source."""
    label = source if source not in ("api", "stdin") else name
    size = len(text.encode("utf-8"))
    if max_bytes is not None and size > max_bytes:
        raise BriefError(
            f"{label}: {size:,} bytes is over the {max_bytes:,}-byte limit for a brief "
            "(raise it with --max-bytes or ADVISOR_MAX_BRIEF_BYTES)"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BriefError(f"{label}: the brief is empty")
    if sum(ch.isalpha() for ch in text) < 3:
        raise BriefError(f"{label}: the brief has no words to read")
    notices = []
    language = "en"
    if not looks_english(text):
        language = "other"
        notices.append(
            "The brief does not look like English. The offline engine reads English only: areas it could not "
            "read are listed as unknown and become open questions."
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Brief(name=name, source=source, text=text, sha256=digest, language=language, notices=notices)


def read_brief(path: Path, max_bytes: int) -> Brief:
    """Read and validate a brief file."""
    label = str(path)
    if not path.exists():
        raise BriefError(f"{label}: no such file")
    if path.is_dir():
        raise BriefError(f"{label}: is a folder, not a brief file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BriefError(
                f"{label}: {size:,} bytes is over the {max_bytes:,}-byte limit for a brief "
                "(raise it with --max-bytes or ADVISOR_MAX_BRIEF_BYTES)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BriefError(f"{label}: cannot read it ({exc.strerror})") from exc
    text = _decode(data, label)
    return brief_from_text(text, name=path.stem, source=label, max_bytes=max_bytes)
