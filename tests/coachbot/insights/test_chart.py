"""The "topics by weakness" chart: a real PNG, axis labels, no overlapping text at 30 topics."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from coachbot.errors import InvalidInput
from coachbot.insights.chart import build_figure, chart_format, contributions, render_chart, short
from coachbot.insights.models import TopicScore

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _scores(n: int, title: str) -> tuple[TopicScore, ...]:
    return tuple(
        TopicScore(f"topic-{i}", f"{i}. {title}", round(1 - i / (n + 1), 4), *[0] * 8)
        for i in range(n)
    )


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("n", [1, 3, 30])
def test_tick_labels_never_overlap_and_stay_inside_the_figure(n):
    long_title = "When a customer who has waited far too long on hold demands a manager"
    figure = build_figure(_scores(n, long_title), "Topics by weakness, 2026-10-25 to 2026-11-23")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    labels = [t for t in axes.get_yticklabels() if t.get_text()]
    assert len(labels) == n
    assert all(t.get_text().endswith("…") and len(t.get_text()) <= 44 for t in labels)
    assert all(f"topic-{i}" in t.get_text() for i, t in enumerate(labels))  # the id to open
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not _overlap(box, other)
    everything = [
        *boxes,
        axes.title.get_window_extent(renderer),
        axes.xaxis.label.get_window_extent(renderer),
        axes.yaxis.label.get_window_extent(renderer),
        *[legend.get_window_extent(renderer) for legend in figure.legends],
    ]
    assert figure.legends  # red bars are explained
    frame = figure.bbox
    for box in everything:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, box
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, box
    for box in boxes:  # the topic names do not run into the axis label
        assert not _overlap(box, axes.yaxis.label.get_window_extent(renderer))


def test_the_figure_grows_with_the_number_of_topics():
    small = build_figure(_scores(5, "t"), "t").get_size_inches()[1]
    large = build_figure(_scores(30, "t"), "t").get_size_inches()[1]
    assert large > small * 3


def test_axes_are_labelled():
    axes = build_figure(_scores(4, "Stay calm"), "Topics by weakness").axes[0]
    assert "weakness score" in axes.get_xlabel()
    assert axes.get_ylabel() == "topic"
    assert axes.get_title(loc="left") == "Topics by weakness"


async def test_the_png_of_a_seeded_report_is_real_and_readable(seeded):
    from matplotlib.image import imread

    report = await seeded.insights.report()
    png = render_chart(report)

    assert len(png) > 5_000 and png.startswith(PNG_SIGNATURE)
    pixels = imread(io.BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    assert width > 500 and height > 200
    assert pixels.std() > 0  # not a blank image


async def test_an_empty_report_still_gives_a_readable_chart(app):
    png = render_chart(await app.insights.report())
    assert png.startswith(PNG_SIGNATURE)


def test_long_titles_are_cut_with_an_ellipsis():
    assert short("x" * 100) == "x" * 41 + "…"
    assert short("Stay calm") == "Stay calm"


def test_starting_the_app_does_not_import_matplotlib():
    code = (
        "import sys, coachbot.app, coachbot.cli, coachbot.insights.chart;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _signalled(topic_id: str, **signals: float) -> TopicScore:
    named = {"asks": 0.0, "votes": 0.0, "quiz": 0.0, "debriefs": 0.0, **signals}
    weights = {"asks": 1.0, "votes": 1.0, "quiz": 1.0, "debriefs": 0.5}
    score = sum(weights[k] * v for k, v in named.items()) / 3.5
    return TopicScore(
        topic_id, topic_id.title(), round(score, 4), *[0] * 8, signals=tuple(named.items())
    )


def test_each_bar_is_split_by_the_signal_that_drives_it():
    votes_heavy = _signalled("angry-refund", votes=1.0, asks=0.2)
    asks_heavy = _signalled("stay-calm", asks=1.0, votes=0.2)
    assert votes_heavy.score == asks_heavy.score  # same score, different training need
    figure = build_figure((votes_heavy, asks_heavy), "Topics by weakness", highlight=1)
    axes = figure.axes[0]
    widths = {}
    for container in axes.containers:
        colour = container.patches[0].get_facecolor()
        widths[colour] = [round(p.get_width(), 4) for p in container.patches]
    assert len(widths) == 2  # only the signals present are drawn
    assert sorted(widths.values()) == sorted([[0.0571, 0.2857], [0.2857, 0.0571]])
    assert sum(contributions(votes_heavy).values()) == pytest.approx(votes_heavy.score, abs=1e-4)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "declined or unsure asks" in legend and '"not helpful" votes' in legend
    assert "quiz misses" not in legend and "tough-call debriefs" not in legend


def test_a_sparse_chart_has_no_legend_entry_without_a_bar():
    only = _signalled("stay-calm", quiz=0.5)
    figure = build_figure((only,), "Topics by weakness", highlight=1)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend[0] == "quiz misses" and len(legend) == 2  # and the train-next key
    assert "other" not in legend


@pytest.mark.parametrize(
    ("name", "signature"),
    [("c.png", PNG_SIGNATURE), ("c.JPG", b"\xff\xd8\xff"), ("c.svg", b"<?xml"), ("c.pdf", b"%PDF")],
)
async def test_the_file_ending_chooses_the_format(app, name, signature, tmp_path):
    from pathlib import Path

    report = await app.insights.report()
    assert render_chart(report, chart_format(Path(name))).startswith(signature)


@pytest.mark.parametrize("name", ["chart.gif", "chart", "chart.png.exe"])
def test_an_unknown_chart_ending_is_refused_with_the_known_ones(name):
    from pathlib import Path

    with pytest.raises(InvalidInput, match=r"\.png.*\.svg"):
        chart_format(Path(name))
