"""`hearth facilitator create|password` and `hearth token create|list|revoke`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from hearth.errors import HearthError
from hearth.services import accounts


@click.group("facilitator", cls=AppGroup)
def facilitator_group() -> None:
    """Facilitator accounts."""


@facilitator_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="Name shown to co-facilitators.")
@click.password_option(help="At least 10 characters; asked twice (can be piped).")
def facilitator_create(email: str, name: str, password: str) -> None:
    """Create a facilitator account."""
    try:
        accounts.create_facilitator(email, password, password, name)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created facilitator {email.strip().lower()}.")


@facilitator_group.command("password")
@click.argument("email")
@click.password_option(help="At least 10 characters; asked twice (can be piped).")
def facilitator_password(email: str, password: str) -> None:
    """Set a new password; every session logged in with the old one ends."""
    try:
        accounts.change_password(email, password, password)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"New password set for {email.strip().lower()}; its sessions were logged out.")


@click.group("token", cls=AppGroup)
def token_group() -> None:
    """API bearer tokens."""


@token_group.command("create")
@click.argument("email")
@click.option(
    "--days", type=click.IntRange(1, 3650), default=None, help="Expire after this many days."
)
def token_create(email: str, days: int | None) -> None:
    """Print a new bearer token for /api/v1 (the last line of output)."""
    try:
        token = accounts.issue_api_token(email, days)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo("Keep this token secret; it acts as you on /api/v1:", err=True)
    click.echo(token)


@token_group.command("list")
@click.argument("email", required=False)
def token_list(email: str | None) -> None:
    """List API tokens (of one facilitator with EMAIL): id, owner, created, expires, last used."""
    try:
        rows = accounts.api_tokens(email)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    if not rows:
        click.echo("No API tokens.")
        return
    click.echo(f"{'id':>4}  {'facilitator':<32} {'created':<10}  {'expires':<10}  last used")
    for row in rows:
        click.echo(
            f"{row.id:>4}  {row.facilitator.email:<32} {row.created_at.date().isoformat():<10}  "
            f"{row.expires_on.isoformat() if row.expires_on else 'never':<10}  "
            f"{row.last_used_on.isoformat() if row.last_used_on else 'never'}"
        )


@token_group.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke an API token by the id `hearth token list` shows; it stops working at once."""
    try:
        email = accounts.revoke_api_token(token_id)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Revoked token {token_id} of {email}.")
