"""Small inline SVG charts for the HTML report (no script, no network): bars and a line.

Every label goes through html.escape; numbers are formatted here, so the output is safe to inline.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 560, 220
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 44, 40, 16
COLOURS = ("#2f6fb0", "#e07b39", "#3a9e6e", "#b04a6f", "#7a5fb0")


def _frame(title: str, body: list[str], y_max: float, unit: str) -> str:
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    grid = []
    for k in range(5):
        value = y_max * k / 4
        y = PAD_TOP + plot_h - plot_h * k / 4
        grid.append(f'<line x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" class="grid"/>'
                    f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{value:g}{escape(unit)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>{"".join(grid)}{"".join(body)}</svg>')


def bar_chart(title: str, bars: list[tuple[str, float | None]], y_max: float = 100, unit: str = "",
              colours: tuple[str, ...] = COLOURS) -> str:
    """Vertical bars with their value above and their label below (None: no bar, shown as —)."""
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(1, len(bars))
    body = []
    for i, (label, value) in enumerate(bars):
        x = PAD_LEFT + slot * i + slot * 0.15
        w = slot * 0.7
        shown = "—" if value is None else f"{value:.0f}{unit}" if value == int(value) else f"{value:.1f}{unit}"
        h = 0 if value is None else plot_h * min(value, y_max) / y_max
        y = PAD_TOP + plot_h - h
        body.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                    f'fill="{colours[i % len(colours)]}"><title>{escape(label)}：{escape(shown)}</title></rect>'
                    f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" class="value">{escape(shown)}</text>'
                    f'<text x="{x + w / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 16:.1f}" text-anchor="middle" '
                    f'class="label">{escape(label)}</text>')
    return _frame(title, body, y_max, unit)


def histogram(title: str, counts: list[int]) -> str:
    """Score distribution: one bar per tenth of 0-100."""
    top = max(counts) if counts and max(counts) else 1
    step = next(m * 10 ** k for k in range(12) for m in (1, 2, 5) if m * 10 ** k * 4 >= top)
    y_max = step * 4  # four grid steps of a round size
    bins = len(counts)
    bars = [(f"{100 * i // bins}", float(c)) for i, c in enumerate(counts)]
    return bar_chart(title, bars, y_max=y_max, colours=COLOURS[:1])  # one series: one colour


def line_chart(title: str, series: dict[str, list[tuple[str, float]]], y_max: float = 100) -> str:
    """One polyline per series over shared x labels (e.g. week starts), with a legend."""
    labels = sorted({x for points in series.values() for x, _ in points})
    plot_w, plot_h = WIDTH - PAD_LEFT - 30, HEIGHT - PAD_BOTTOM - PAD_TOP  # room for the last label
    where = {x: PAD_LEFT + (plot_w * i / max(1, len(labels) - 1) if len(labels) > 1 else plot_w / 2)
             for i, x in enumerate(labels)}
    body = []
    for n, (name, points) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        coords = " ".join(f"{where[x]:.1f},{PAD_TOP + plot_h - plot_h * min(v, y_max) / y_max:.1f}" for x, v in points)
        body.append(f'<polyline class="trend" points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, v in points:
            body.append(f'<circle cx="{where[x]:.1f}" cy="{PAD_TOP + plot_h - plot_h * min(v, y_max) / y_max:.1f}" '
                        f'r="3" fill="{colour}"><title>{escape(name)} {escape(x)}：{v:.1f}</title></circle>')
        body.append(f'<rect x="{PAD_LEFT + 8 + 150 * n}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{PAD_LEFT + 22 + 150 * n}" y="{HEIGHT - 5}" class="label">{escape(name)}</text>')
    every = max(1, len(labels) // 8)
    for i, x in enumerate(labels):
        if i % every == 0:
            body.append(f'<text x="{where[x]:.1f}" y="{HEIGHT - PAD_BOTTOM + 14:.1f}" text-anchor="middle" '
                        f'class="tick">{escape(x[5:])}</text>')
    return _frame(title, body, y_max, "")
