"""The safety net's built-in phrase lists, one file per language (data, read by hearth.safety)."""
