"""Links a facilitator shares: the secret projector URL."""

from __future__ import annotations

from hearth.models import Workshop
from hearth.network import public_url


def present_url(workshop: Workshop) -> str:
    """The projector link for a second device; the key in it is the only credential."""
    return f"{public_url()}/present/{workshop.present_key}"
