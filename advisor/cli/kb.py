"""`advisor kb add|search|rebuild|stats`: what the knowledge store holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from advisor.cli.common import CliError, make_settings, open_built_store
from advisor.domain.areas import AREA_IDS
from advisor.intake import BriefError, read_brief

app = typer.Typer(help="The knowledge store: search it, add your own documents, rebuild, stats.", no_args_is_help=True)
_DOC_SUFFIXES = {".md", ".txt", ".markdown"}

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Knowledge store folder.")]


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 5,
    area: Annotated[str | None, typer.Option(help="Only this risk area.")] = None,
    store: StoreOpt = None,
) -> None:
    """Passages nearest a query, from the knowledge base and your documents."""
    if area is not None and area not in AREA_IDS:
        raise CliError(f"unknown area '{area}': one of {', '.join(AREA_IDS)}", 2)
    if not query.strip():
        raise CliError("empty query", 2)
    kstore, _ = open_built_store(make_settings(store_path=store))
    for passage in kstore.search(query, k=k, area=area, kinds=("card", "question", "action")):
        body = " ".join(passage.text.split())
        typer.echo(f"[{passage.score:.3f}] {passage.area} · {passage.title} ({passage.source})\n    {body[:300]}\n")


@app.command("add")
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of .md/.txt documents.")],
    store: StoreOpt = None,
) -> None:
    """Add your own documents (postmortems, policies): they are retrieved and quoted, never obeyed."""
    settings = make_settings(store_path=store)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _DOC_SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            raise CliError(f"{path}: no such file or folder", 2)
    if not files:
        raise CliError("no .md or .txt documents found", 2)
    kstore, _ = open_built_store(settings)
    added, failed = 0, 0
    for file in files:
        try:
            doc = read_brief(file, settings.max_brief_bytes)
        except BriefError as exc:
            typer.echo(f"advisor: skipped {exc}", err=True)
            failed += 1
            continue
        chunks = kstore.add_document(str(file.resolve()), doc.text)
        added += 1
        typer.echo(f"added {file} ({chunks} chunks)")
    typer.echo(f"{added} documents added, {failed} skipped")
    if failed and not added:
        raise typer.Exit(2)


@app.command("rebuild")
def rebuild(
    store: StoreOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Also re-add your documents from their recorded copies, from scratch.")
    ] = False,
) -> None:
    """Rebuild the knowledge collections from knowledge/ (your added documents are kept)."""
    kstore, _ = open_built_store(make_settings(store_path=store), force=True, from_scratch=force)
    typer.echo(json.dumps(kstore.stats(), indent=2))


@app.command("stats")
def stats(store: StoreOpt = None) -> None:
    """Counts, the knowledge version and where the store lives."""
    kstore, _ = open_built_store(make_settings(store_path=store))
    typer.echo(json.dumps(kstore.stats(), indent=2))
