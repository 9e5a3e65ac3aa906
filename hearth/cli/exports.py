"""`hearth export` and `hearth purge`: session summaries and deleting answers for good."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from hearth.errors import HearthError
from hearth.exports import FORMATS, build_export
from hearth.extensions import db
from hearth.models import Workshop, today_utc
from hearth.services.retention import purge_due, purge_workshop


def _find_workshop(ref: str) -> Workshop:
    """A workshop by id or join code, or a ClickException."""
    workshop = None
    if ref.isdigit():
        workshop = db.session.get(Workshop, int(ref))
    if workshop is None:
        workshop = db.session.scalar(select(Workshop).where(Workshop.code == ref.strip().upper()))
    if workshop is None:
        raise click.ClickException(f"There is no workshop with id or code {ref!r}.")
    return workshop


@click.command("export")
@with_appcontext
@click.argument("workshop")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS), case_sensitive=False),
    default="html",
    show_default=True,
    help="File format of the summary.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=None,
    help="Where to write it ('-' for standard output); default: a dated file name here.",
)
def export(workshop: str, fmt: str, output: Path | None) -> None:
    """Export the session summary of WORKSHOP (its id or join code)."""
    found = _find_workshop(workshop)
    try:
        body, _content_type, name = build_export(found, fmt)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    if output is not None and str(output) == "-":
        click.echo(body, nl=False)
        return
    target = output or Path(name)
    target.write_bytes(body)
    click.echo(f"Wrote {target} ({len(body):,} bytes).")


@click.command("purge")
@with_appcontext
@click.option(
    "--workshop",
    "workshop_ref",
    default=None,
    help="Delete this workshop's answers now (id or join code), whatever its retention says.",
)
@click.option("--yes", is_flag=True, help="Confirm deleting a workshop's answers for good.")
def purge(workshop_ref: str | None, yes: bool) -> None:
    """Delete for good the answers of workshops past their retention (or of one, now)."""
    if workshop_ref is None:
        records = purge_due(today_utc())
        if not records:
            click.echo("Nothing is due for purging.")
        for record in records:
            click.echo(
                f"Purged workshop {record.workshop_id}: {record.responses} answers, "
                f"{record.questions} questions deleted."
            )
        return
    found = _find_workshop(workshop_ref)
    if not yes:
        raise click.ClickException(
            f"This deletes every answer and question of workshop {found.id} ({found.title!r}) "
            "for good. Export its summary first if you need it, then add --yes."
        )
    try:
        record = purge_workshop(found)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(
        f"Purged workshop {record.workshop_id}: {record.responses} answers, "
        f"{record.questions} questions deleted."
    )
