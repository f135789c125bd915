"""Server-rendered charts of the Activité tab: plain numbers turned into SVG coordinates.

No JavaScript and no inline style (the SVG's own attributes carry the geometry), and every chart is
paired on the page with a table of the same figures for screen readers. Coordinates are returned as
text: a float in a template would be localised with a decimal comma, which SVG does not read.
"""

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 600, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 48, 30, 12


@dataclass(frozen=True)
class Series:
    name: str
    points: str  # the polyline's "x,y x,y …"
    css: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: list
    x_labels: list  # (x, text)
    y_labels: list  # (y, text)
    baseline: str


def _svg(number):
    return f"{number:.1f}"


def _nice_maximum(value):
    """A round upper bound for the vertical axis: 10, 20, 50, 100, 200…"""
    if value <= 10:
        return 10
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def cumulative_chart(days):
    """Lines of cumulative participants and profiles received, one point per day with activity."""
    if not days:
        return None
    top = _nice_maximum(max(day["joined"] for day in days))
    plot_width = WIDTH - MARGIN_LEFT - 10
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    baseline = HEIGHT - MARGIN_BOTTOM
    step = plot_width / max(len(days) - 1, 1)

    def x(index):
        return _svg(MARGIN_LEFT + index * step)

    def y(value):
        return _svg(baseline - value / top * plot_height)

    def points(key):
        return " ".join(f"{x(index)},{y(day[key])}" for index, day in enumerate(days))

    every = max(1, math.ceil(len(days) / 8))
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        series=[
            Series("Participants", points("joined"), "chart-line--joined"),
            Series("Profils reçus", points("received"), "chart-line--received"),
        ],
        x_labels=[(x(index), f"{day['day']:%d/%m}") for index, day in enumerate(days) if index % every == 0],
        y_labels=[(y(top * fraction / 4), round(top * fraction / 4)) for fraction in range(5)],
        baseline=_svg(baseline),
    )


@dataclass(frozen=True)
class Slice:
    label: str
    count: int
    percent: int
    dasharray: str
    dashoffset: str
    css: str


DONUT_RADIUS = 15.915  # a circumference of 100: dash lengths are percentages


def donut(parts):
    """Slices of a donut drawn with stroke-dasharray on circles; `parts` is [(label, count, css), …]."""
    total = sum(count for _, count, _ in parts)
    if not total:
        return []
    slices = []
    start = 0.0
    for label, count, css in parts:
        share = count / total * 100
        slices.append(
            Slice(
                label=label,
                count=count,
                percent=round(share),
                dasharray=f"{share:.2f} {100 - share:.2f}",
                dashoffset=f"{25 - start:.2f}",
                css=css,
            )
        )
        start += share
    return slices


@dataclass(frozen=True)
class Segment:
    x: str
    width: str
    css: str


def stacked_bar(parts, scale_to, width=200):
    """Segments of a horizontal bar, `parts` being [(count, css), …] and `scale_to` the longest bar."""
    segments = []
    x = 0.0
    for count, css in parts:
        if count and scale_to:
            length = count / scale_to * width
            segments.append(Segment(x=f"{x:.2f}", width=f"{length:.2f}", css=css))
            x += length
    return segments
