"""Hearth's load benchmark: `make bench` (python -m bench.run); see docs/performance.md."""
