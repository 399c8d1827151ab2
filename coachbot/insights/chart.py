"""The "topics by weakness" chart: a horizontal bar per topic, weakest on top, as PNG bytes.

matplotlib is imported inside `render_chart`, not at module import, so starting the bot or
the CLI does not pay for it. It draws on a bare `Figure` with the Agg canvas: no pyplot, no
global state, safe to call from a worker thread. The figure grows by a fixed height per
topic and long titles are cut with an ellipsis, so 30 topics stay readable.
"""

from __future__ import annotations

import io
from typing import Any

from coachbot.insights.models import Report, TopicScore

MAX_TOPICS = 30
LABEL_CHARS = 42
INCH_PER_TOPIC = 0.32
BASE_HEIGHT = 1.6
WIDTH = 9.0
DPI = 110
BAR_COLOUR = "#2e86c1"
TOP_COLOUR = "#c0392b"  # the train-next topics


def short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_figure(scores: tuple[TopicScore, ...], title: str, *, highlight: int = 3) -> Any:
    """The matplotlib Figure (tests inspect its text positions); `render_chart` saves it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = list(scores[:MAX_TOPICS])
    height = BASE_HEIGHT + INCH_PER_TOPIC * max(len(shown), 3)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if len(scores) > len(shown):
        title += f" (weakest {len(shown)} of {len(scores)})"
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_xlabel("combined weakness score (0 = no signal, 1 = worst on every signal)")
    axes.set_ylabel("topic")
    if not shown:
        axes.text(0.5, 0.5, "Nothing to chart yet", ha="center", va="center", fontsize=11)
        axes.set_yticks([])
        axes.set_xlim(0, 1)
        return figure
    positions = list(range(len(shown)))
    values = [s.score for s in shown]
    colours = [TOP_COLOUR if n < highlight else BAR_COLOUR for n in positions]
    axes.barh(positions, values, color=colours, height=0.7)
    axes.set_yticks(positions, [short(s.title) for s in shown], fontsize=9)
    axes.invert_yaxis()  # weakest on top
    axes.set_xlim(0, max(1.0, max(values)) * 1.12)
    for y, value in zip(positions, values, strict=True):
        axes.text(value + 0.01, y, f"{value:.2f}", va="center", fontsize=8)
    if highlight:
        from matplotlib.patches import Patch

        handles = [
            Patch(color=TOP_COLOUR, label="train next"),
            Patch(color=BAR_COLOUR, label="other"),
        ]
        figure.legend(
            handles=handles, loc="outside upper right", ncols=2, fontsize=8, frameon=False
        )
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def chart_title(report: Report) -> str:
    return f"Topics by weakness, {report.period}"


def render_chart(report: Report) -> bytes:
    """The PNG of `report.scores`."""
    figure = build_figure(report.scores, chart_title(report), highlight=len(report.train_next))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
