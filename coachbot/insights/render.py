"""The report as text (terminal), JSON (tools) and one tidy CSV (spreadsheets).

The CSV is "long": one measurement per row, the same columns for every section
(section, group, topic, title, team, channel, week, metric, value). A trainer filters on
`section`, or builds a pivot table from it, without opening several files. Text cells that a
spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe: asks are typed
by anyone, and a CSV must not become a way to run formulas on a trainer's machine.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from coachbot.insights.models import OTHER, QuizTable, Report
from coachbot.knowledge.text import printable

CSV_COLUMNS = ("section", "group", "topic", "title", "team", "channel", "week", "metric", "value")
TEXT_GROUPS = 25  # ask groups in the text report; JSON and CSV have them all


def scope_text(report: Report) -> str:
    if report.guild_id is None:
        return "every server"
    return f"server {report.guild_id}"


def nothing_yet(report: Report) -> str:
    return (
        f"Nothing to report yet for {report.period}: no asks, card votes, quiz answers or "
        "debriefs in this period. Come back when agents have used CoachBot for a while."
    )


# ---- text -------------------------------------------------------------------------------------


def render_text(report: Report) -> str:
    if report.empty:
        return nothing_yet(report) + "\n"
    lines = [f"Insights for {report.period} ({scope_text(report)})", ""]
    lines += _train_next_lines(report)
    lines += _ask_lines(report)
    lines += _vote_lines(report)
    lines += _quiz_lines(report)
    lines += _debrief_lines(report)
    return "\n".join(lines).rstrip() + "\n"


def _train_next_lines(report: Report) -> list[str]:
    lines = ["TRAIN NEXT (weakest combined signal; see the README for the score)"]
    if not report.train_next:
        lines.append("  No topic shows a weakness in this period.")
    for rank, topic in enumerate(report.train_next, 1):
        lines.append(f"  {rank}. {_safe(topic.title)} [{topic.topic_id}], score {topic.score:.2f}")
        lines.append(f"     {topic.evidence}")
    return [*lines, ""]


def _ask_lines(report: Report) -> list[str]:
    unsure = sum(g.low_confidence for g in report.ask_groups)
    lines = [
        "ASKS THE KNOWLEDGE BASE DID NOT ANSWER WELL",
        f"  {report.asks_total} asks logged, {report.asks_declined} declined, {unsure} answered "
        f"unsure (confidence under {report.low_confidence:.2f}). Similar questions are grouped.",
    ]
    for group in report.ask_groups[:TEXT_GROUPS]:
        topic = f" -> closest topic: {_safe(group.topic_title or group.topic_id)}"
        detail = f"{group.declined} declined, {group.low_confidence} unsure"
        lines.append(
            f"  {group.count:4d} × {_quote(group.label)} ({detail})"
            + (topic if group.topic_id else "")
        )
        if group.examples:
            lines.append("         also: " + "; ".join(_quote(e) for e in group.examples))
    hidden = len(report.ask_groups) - TEXT_GROUPS
    if hidden > 0:
        lines.append(f"  ... and {hidden} smaller groups (all of them are in --format csv/json)")
    if report.ungrouped:
        lines.append(f"  {report.ungrouped} rarer asks were counted but not grouped.")
    return [*lines, ""]


def _vote_lines(report: Report) -> list[str]:
    lines = ["CARD VOTES (not helpful of all votes)"]
    if not report.votes:
        lines.append("  No votes in this period.")
    for v in report.votes:
        lines.append(
            f"  {v.not_helpful:4d} of {v.total:<4d} ({v.not_helpful_share:4.0%})  {_safe(v.title)}"
        )
    return [*lines, ""]


def _quiz_lines(report: Report) -> list[str]:
    lines = [f"QUIZ ACCURACY (no slice of fewer than {report.min_people} people; worst first)"]
    for name, table in (
        ("by topic", report.quiz_topics),
        ("by team (server)", report.quiz_teams),
        ("by channel", report.quiz_channels),
    ):
        lines.append(f"  {name}:")
        lines += [f"    {line}" for line in _table_lines(table, report.min_people)]
    return [*lines, ""]


def _table_lines(table: QuizTable, people: int) -> list[str]:
    lines = [
        f"{row.accuracy:4.0%} correct of {row.answered:4d} answers by {row.agents:3d} agents  "
        f"{_safe(row.label)}"
        for row in table.rows
    ]
    if table.withheld:
        lines.append(
            f"({table.merged} slices answered by fewer than {people} people in all: not shown)"
        )
    elif table.merged:
        lines.append(f'(slices under {people} people are counted together as "{OTHER}")')
    return lines or ["no quiz answers in this period"]


def _debrief_lines(report: Report) -> list[str]:
    debriefs = report.debriefs
    lines = [f"DEBRIEFS ({debriefs.total})"]
    if not debriefs.total:
        return [*lines, "  None in this period.", ""]
    lines.append("  by topic:")
    lines += [f"    {n:4d}  {_safe(title)}" for _, title, n in debriefs.by_topic]
    lines.append("  by ISO week:")
    lines += [f"    {week}: {n}" for week, n in debriefs.by_week]
    return [*lines, ""]


def _safe(text: str | None) -> str:
    return " ".join(printable(text or "").split())


def _quote(text: str) -> str:
    return f"“{_safe(text)}”"


# ---- JSON -------------------------------------------------------------------------------------


def report_dict(report: Report) -> dict[str, Any]:
    """Plain data for `--format json`: counts and texts only, never an agent id."""
    return {
        "period": {
            "since": report.period.since.isoformat(),
            "until": report.period.until.isoformat(),
            "days": report.period.days,
        },
        "guild": report.guild_id,
        "scope": scope_text(report),
        "empty": report.empty,
        "min_people": report.min_people,
        "low_confidence": report.low_confidence,
        "train_next": [_score(rank, s) for rank, s in enumerate(report.train_next, 1)],
        "asks": {
            "total": report.asks_total,
            "declined": report.asks_declined,
            "unsure": sum(g.low_confidence for g in report.ask_groups),
            "ungrouped": report.ungrouped,
            "groups": [
                {
                    "label": g.label,
                    "count": g.count,
                    "declined": g.declined,
                    "unsure": g.low_confidence,
                    "examples": list(g.examples),
                    "topic": g.topic_id,
                    "topic_title": g.topic_title,
                }
                for g in report.ask_groups
            ],
        },
        "votes": [
            {
                "topic": v.topic_id,
                "title": v.title,
                "helpful": v.helpful,
                "not_helpful": v.not_helpful,
                "not_helpful_share": round(v.not_helpful_share, 4),
            }
            for v in report.votes
        ],
        "quiz": {
            "topics": _table(report.quiz_topics),
            "teams": _table(report.quiz_teams),
            "channels": _table(report.quiz_channels),
        },
        "debriefs": {
            "total": report.debriefs.total,
            "by_topic": [
                {"topic": t or None, "title": title, "count": n}
                for t, title, n in report.debriefs.by_topic
            ],
            "by_week": [{"week": w, "count": n} for w, n in report.debriefs.by_week],
        },
        "scores": [_score(rank, s) for rank, s in enumerate(report.scores, 1)],
    }


def _score(rank: int, s) -> dict[str, Any]:
    return {
        "rank": rank,
        "topic": s.topic_id,
        "title": s.title,
        "score": s.score,
        "evidence": s.evidence,
        "signals": dict(s.signals),
    }


def _table(table: QuizTable) -> dict[str, Any]:
    return {
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "agents": r.agents,
                "answered": r.answered,
                "correct": r.correct,
                "accuracy": round(r.accuracy, 4),
            }
            for r in table.rows
        ],
        "merged_small_slices": table.merged,
        "withheld": table.withheld,
    }


def render_json(report: Report) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


# ---- CSV --------------------------------------------------------------------------------------


def csv_rows(report: Report) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(section: str, metric: str, value: Any, **where: Any) -> None:
        rows.append({"section": section, "metric": metric, "value": value, **where})

    summary = {
        "since": report.period.since.isoformat(),
        "until": report.period.until.isoformat(),
        "guild": report.guild_id or "every server",
        "asks_total": report.asks_total,
        "asks_declined": report.asks_declined,
        "asks_unsure": sum(g.low_confidence for g in report.ask_groups),
        "asks_ungrouped": report.ungrouped,
        "low_confidence_under": report.low_confidence,
        "min_people_per_slice": report.min_people,
        "debriefs": report.debriefs.total,
    }
    for metric, value in summary.items():
        add("summary", metric, value)
    for rank, s in enumerate(report.scores, 1):
        where = {"group": rank, "topic": s.topic_id, "title": s.title}
        if rank <= len(report.train_next):
            add("train_next", "evidence", s.evidence, **where)
        add("topic_score", "score", s.score, **where)
        for name, value in s.signals:
            add("topic_score", f"{name}_signal", value, **where)
    for n, g in enumerate(report.ask_groups, 1):
        where = {"group": n, "topic": g.topic_id or "", "title": g.topic_title or ""}
        add("ask_group", "label", g.label, **where)
        add("ask_group", "asks", g.count, **where)
        add("ask_group", "declined", g.declined, **where)
        add("ask_group", "unsure", g.low_confidence, **where)
        for example in g.examples:
            add("ask_group", "example", example, **where)
    for v in report.votes:
        where = {"topic": v.topic_id, "title": v.title}
        add("votes", "helpful", v.helpful, **where)
        add("votes", "not_helpful", v.not_helpful, **where)
        add("votes", "not_helpful_share", round(v.not_helpful_share, 4), **where)
    for section, table in (
        ("quiz_topic", report.quiz_topics),
        ("quiz_team", report.quiz_teams),
        ("quiz_channel", report.quiz_channels),
    ):
        for r in table.rows:
            if section == "quiz_topic":
                where = {"topic": r.key, "title": r.label}
            elif section == "quiz_team":
                where = {"team": r.key}
            else:
                team, _, channel = r.key.partition("/")
                where = {"team": team, "channel": channel or team}
            for metric in ("agents", "answered", "correct"):
                add(section, metric, getattr(r, metric), **where)
            add(section, "accuracy", round(r.accuracy, 4), **where)
        if table.merged:
            add(section, "small_slices_merged", table.merged)
            add(section, "other_withheld", int(table.withheld))
    for topic, title, n in report.debriefs.by_topic:
        add("debrief_topic", "debriefs", n, topic=topic, title=title)
    for week, n in report.debriefs.by_week:
        add("debrief_week", "debriefs", n, week=week)
    return rows


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(printable(value).split())
        if value[:1] in ("=", "+", "-", "@"):
            return "'" + value
    return value
