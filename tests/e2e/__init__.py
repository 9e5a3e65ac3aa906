"""Real-server and browser tests (run in their own pytest process: `make e2e`)."""
