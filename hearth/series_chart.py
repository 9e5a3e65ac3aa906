"""The series chart: the group's check-in and check-out over the sessions, as numbers to draw.

Pure (no Flask): from a series report (hearth.services.series.report) or the series summary
built from it (hearth.exports.series) to the coordinates, ticks and row texts a template draws
as an SVG line chart with a table beside it. The series page and the series summary's HTML
draw the same figure. A session below its k, without a pair, or with its answers deleted gets
no point, only a reason: the chart never shows a number the session's own export would not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

# Small on purpose: the SVG scales to its box, and at a phone's width these units are about
# pixels, so the labels stay legible (static/css/series.css caps the box on a laptop).
WIDTH, HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 12, 28
# Above this many scale points, every other point is labelled (0 to 10 is eleven).
LABEL_EVERY_POINT = 6
SIDES = ("pre", "post")


@dataclass(frozen=True)
class Row:
    """One session of one pair: its figures, or why there are none."""

    number: int
    date: str
    day: dt.date  # the same day, for the page to write in its language
    min_group: int
    status: str  # "shown", "below_threshold", "no_pair", "purged"
    pre: dict[str, Any] | None = None
    post: dict[str, Any] | None = None
    mean_shift: float | None = None
    x: float = 0.0


@dataclass(frozen=True)
class Chart:
    """One check-in/check-out pair over the sessions: rows, axis and the two lines."""

    pair: int
    rows: list[Row]
    low: int
    high: int
    ticks: list[tuple[int, float, bool]]  # (value, y, labelled)
    paths: dict[str, str]
    points: dict[str, list[tuple[float, float, float]]]  # (x, y, mean) per side

    @property
    def shown(self) -> int:
        """How many sessions have figures."""
        return sum(1 for row in self.rows if row.status == "shown")

    @property
    def below_threshold(self) -> list[int]:
        """The k of each session below it, once each (for the legend)."""
        return sorted({row.min_group for row in self.rows if row.status == "below_threshold"})

    @property
    def plot_bottom(self) -> float:
        """The y of the x axis."""
        return float(HEIGHT - BOTTOM)

    @property
    def view_box(self) -> str:
        """The SVG's viewBox."""
        return f"0 0 {WIDTH} {HEIGHT}"

    @property
    def grid(self) -> tuple[int, int]:
        """The x where grid lines start and end."""
        return LEFT, WIDTH - RIGHT

    @property
    def plot_middle(self) -> float:
        """The y halfway up the plot, where a session without a point says why."""
        return float(TOP + (HEIGHT - TOP - BOTTOM) / 2)


def _row(number: int, session: dict[str, Any], pair: int) -> Row:
    """A session's row for one pair (0-based `pair`)."""
    base = {
        "number": number,
        "date": session["date"],
        "day": dt.date.fromisoformat(session["date"]),
        "min_group": session["min_group"],
    }
    found = session["comparisons"]
    if session.get("purged"):
        return Row(**base, status="purged")
    if pair >= len(found):
        return Row(**base, status="no_pair")
    comparison = found[pair]
    if comparison["hidden"] is not None:
        return Row(**base, status="below_threshold")
    return Row(
        **base,
        status="shown",
        pre=comparison["pre"],
        post=comparison["post"],
        mean_shift=comparison["mean_shift"],
    )


def _range(rows: list[Row]) -> tuple[int, int]:
    """The lowest and highest scale points of the sessions shown (1 to 5 when none is)."""
    points = [
        int(point)
        for row in rows
        if row.status == "shown"
        for side in (row.pre, row.post)
        for point in (side or {}).get("histogram", {})
    ]
    return (min(points), max(points)) if points else (1, 5)


def _y(value: float, low: int, high: int) -> float:
    """The y of a value on the scale (higher values higher up)."""
    span = (high - low) or 1
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / span, 1)


def _ticks(low: int, high: int) -> list[tuple[int, float, bool]]:
    """A grid line at every scale point, labelled at every point or every other one."""
    every = 1 if high - low < LABEL_EVERY_POINT else 2
    return [
        (value, _y(value, low, high), (value - low) % every == 0 or value == high)
        for value in range(low, high + 1)
    ]


def _path(points: list[tuple[float, float, float] | None]) -> str:
    """An SVG path through the points, broken where a session has none."""
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]} {point[1]}")
        pen_down = True
    return " ".join(parts)


def chart(report: dict[str, Any], pair: int) -> Chart:
    """The chart of one pair (0-based) over every session of the series."""
    sessions = report["sessions"]
    step = (WIDTH - LEFT - RIGHT) / max(len(sessions), 1)
    rows = [_row(number, session, pair) for number, session in enumerate(sessions, start=1)]
    rows = [replace(row, x=round(LEFT + step * (row.number - 0.5), 1)) for row in rows]
    low, high = _range(rows)
    lines: dict[str, list[tuple[float, float, float] | None]] = {}
    for side in SIDES:
        lines[side] = [
            (row.x, _y(getattr(row, side)["mean"], low, high), getattr(row, side)["mean"])
            if row.status == "shown" and getattr(row, side)["mean"] is not None
            else None
            for row in rows
        ]
    return Chart(
        pair=pair + 1,
        rows=rows,
        low=low,
        high=high,
        ticks=_ticks(low, high),
        paths={side: _path(points) for side, points in lines.items()},
        points={side: [p for p in points if p is not None] for side, points in lines.items()},
    )


def charts(report: dict[str, Any]) -> list[Chart]:
    """One chart per check-in/check-out pair any session has (none without a pair)."""
    pairs = max((len(s["comparisons"]) for s in report["sessions"]), default=0)
    return [chart(report, pair) for pair in range(pairs)]
