"""Services own every write: validate, change, commit once. Split by noun."""
