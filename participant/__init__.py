"""The participant side: joining by code, the phone app, and the /participant namespace."""
