"""`hearth plan import FILE`, `hearth plan export SLUG` and `hearth plan draft ARTICLE`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hearth.extensions import db
from hearth.models import Facilitator, Plan
from hearth.plans import (
    PlanError,
    dump_plan,
    parse_plan_text,
    plan_document,
    plan_format_of,
    validate_plan,
)
from hearth.services.plans import save_plan


# An AppGroup pushes an app context for its commands, under `hearth` and test_cli_runner alike.
@click.group("plan", cls=AppGroup)
def plan_group() -> None:
    """Workshop plans as YAML or JSON files (format: docs/plan-format.md)."""


@plan_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--owner", metavar="EMAIL", help="The facilitator who will own the plan.")
def plan_import(file: Path, owner: str | None) -> None:
    """Check a YAML or JSON plan file and store it; prints the plan's slug.

    A plan with the same slug and owner is replaced; a built-in plan or another
    facilitator's plan is kept, and the new one gets a free slug (slug-2, ...).
    """
    facilitator = None
    if owner is not None:
        email = owner.strip().lower()
        facilitator = db.session.scalar(select(Facilitator).where(Facilitator.email == email))
        if facilitator is None:
            raise click.ClickException(f"There is no facilitator with the email {email}.")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file} is not UTF-8 text.") from None
    try:
        plan = save_plan(parse_plan_text(text, plan_format_of(file.name)), facilitator)
    except PlanError as error:
        raise click.ClickException(f"{file}: {error}") from None
    click.echo(f"Saved '{plan.title}' with {len(plan.activities)} activities as:", err=True)
    click.echo(plan.slug)


@plan_group.command("export")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the screen (JSON if it ends in .json).",
)
def plan_export(slug: str, output: Path | None) -> None:
    """Write a plan as YAML (or JSON), ready to edit and import again."""
    plan = db.session.scalar(select(Plan).where(Plan.slug == slug.strip()))
    if plan is None:
        raise click.ClickException(f"There is no plan with the slug '{slug}'.")
    if output is None:
        click.echo(dump_plan(plan_document(plan)), nl=False)
        return
    output.write_text(
        dump_plan(plan_document(plan), plan_format_of(output.name) or "yaml"), "utf-8"
    )
    click.echo(f"Wrote '{plan.title}' to {output}.", err=True)


@plan_group.command("draft")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the draft plan to this file (JSON if it ends in .json, else YAML).",
)
def plan_draft(article: Path, output: Path | None) -> None:
    """Turn an article (.docx, .pdf, .html, .md or .txt) into a draft plan; stores nothing.

    Prints the import report as JSON: what was recognised, what was left out, and how many of
    the article's sentences are in the draft (docs/plan-format.md).
    """
    from hearth.importer import ACCEPTED_FILES, ArticleError, draft_from_article, format_of_filename

    fmt = format_of_filename(article.name)
    if fmt is None:
        raise click.ClickException(f"{article}: Hearth reads {ACCEPTED_FILES}.")
    try:
        draft, report = draft_from_article(article.read_bytes(), fmt)
        document = validate_plan(draft)
    except (ArticleError, PlanError) as error:
        raise click.ClickException(f"{article}: {error}") from None
    if output is not None:
        output.write_text(dump_plan(document, plan_format_of(output.name) or "yaml"), "utf-8")
        click.echo(f"Wrote the draft '{document['title']}' to {output}.", err=True)
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
