"""The "topics by weakness" chart: a bar per topic, weakest on top, split by the signal behind it.

matplotlib is imported inside `build_figure`, not at module import, so starting the bot or
the CLI does not pay for it. It draws on a bare `Figure` with the Agg canvas: no pyplot, no
global state, safe to call from a worker thread. The figure grows by a fixed height per
topic, and each label is the topic id with its title cut to fit, so 30 topics stay readable.

Each bar is stacked from the weighted signals of `coachbot.insights.score`, so a trainer sees
at a glance whether declined asks, "not helpful" votes, quiz misses or debriefs make a topic
weak: two topics with the same score can need very different training.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from coachbot.errors import InvalidInput
from coachbot.insights.models import Report, TopicScore
from coachbot.insights.score import WEIGHTS

MAX_TOPICS = 30
LABEL_CHARS = 42
INCH_PER_TOPIC = 0.32
BASE_HEIGHT = 1.6
WIDTH = 9.0
DPI = 110
SIGNALS = {  # signal name -> (legend text, colour)
    "asks": ("declined or unsure asks", "#2e86c1"),
    "votes": ('"not helpful" votes', "#c0392b"),
    "quiz": ("quiz misses", "#d68910"),
    "debriefs": ("tough-call debriefs", "#7d3c98"),
}
TRAIN_NEXT_MARK = "▶ "
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg"}


def short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label(score: TopicScore, *, train_next: bool) -> str:
    """The topic id first (what a trainer opens), then as much of the title as fits."""
    head = (TRAIN_NEXT_MARK if train_next else "") + score.topic_id
    room = LABEL_CHARS - len(head) - 3
    return f"{head} · {short(score.title, room)}" if room >= 8 else short(head)


def contributions(score: TopicScore) -> dict[str, float]:
    """Each signal's share of the score: the stacked segments add up to `score.score`."""
    total = sum(WEIGHTS.values())
    values = dict(score.signals)
    return {name: WEIGHTS[name] * values.get(name, 0.0) / total for name in SIGNALS}


def build_figure(scores: tuple[TopicScore, ...], title: str, *, highlight: int = 3) -> Any:
    """The matplotlib Figure (tests inspect its text positions); `render_chart` saves it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    shown = list(scores[:MAX_TOPICS])
    height = BASE_HEIGHT + INCH_PER_TOPIC * max(len(shown), 3)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if len(scores) > len(shown):
        title += f" (weakest {len(shown)} of {len(scores)})"
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_xlabel("weakness score, split by signal (0 = no signal, 1 = worst on every signal)")
    axes.set_ylabel("topic")
    if not shown:
        axes.text(0.5, 0.5, "Nothing to chart yet", ha="center", va="center", fontsize=11)
        axes.set_yticks([])
        axes.set_xlim(0, 1)
        return figure
    positions = list(range(len(shown)))
    parts = [contributions(s) for s in shown]
    if not any(sum(p.values()) for p in parts):  # scores without their signals: one plain bar
        parts = [{"asks": s.score} for s in shown]
    left = [0.0] * len(shown)
    drawn = []
    for name, (_, colour) in SIGNALS.items():
        widths = [p.get(name, 0.0) for p in parts]
        if not any(widths):
            continue  # a legend entry only for a signal that has a bar
        axes.barh(positions, widths, left=left, color=colour, height=0.7)
        left = [a + b for a, b in zip(left, widths, strict=True)]
        drawn.append(name)
    labels = [label(s, train_next=n < highlight) for n, s in enumerate(shown)]
    axes.set_yticks(positions, labels, fontsize=9)
    for n, tick in enumerate(axes.get_yticklabels()):
        if n < highlight:
            tick.set_fontweight("bold")
    axes.invert_yaxis()  # weakest on top
    values = [s.score for s in shown]
    axes.set_xlim(0, max(1.0, max(values)) * 1.12)
    for y, value in zip(positions, values, strict=True):
        axes.text(value + 0.01, y, f"{value:.2f}", va="center", fontsize=8)
    handles = [Patch(color=SIGNALS[name][1], label=SIGNALS[name][0]) for name in drawn]
    if highlight:
        handles.append(Patch(color="none", label=f"{TRAIN_NEXT_MARK.strip()} bold: train next"))
    figure.legend(
        handles=handles,
        loc="outside upper right",
        ncols=min(len(handles), 3),
        fontsize=8,
        frameon=False,
    )
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def chart_title(report: Report) -> str:
    return f"Topics by weakness, {report.period}"


def chart_format(path: Path) -> str:
    """The image format a file name asks for; an unknown ending is refused, not ignored."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        known = ", ".join(sorted(FORMATS))
        raise InvalidInput(
            f"The chart can be written as {known}, not {path.suffix or 'no ending'}."
        )
    return found


def render_chart(report: Report, image_format: str = "png") -> bytes:
    """The image of `report.scores` (PNG unless another format is asked for)."""
    figure = build_figure(report.scores, chart_title(report), highlight=len(report.train_next))
    buffer = io.BytesIO()
    figure.savefig(buffer, format=image_format)
    return buffer.getvalue()
