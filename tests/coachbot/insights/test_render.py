"""The report as text, JSON and CSV: readable, parseable, and never naming an agent."""

from __future__ import annotations

import csv
import io
import json

from coachbot.insights.render import CSV_COLUMNS, render_csv, render_json, render_text
from coachbot.store.asks import AskLog, LoggedAsk
from tests.coachbot.insights.conftest import AGENT_IDS, IN


async def _outputs(app) -> dict[str, str]:
    report = await app.insights.report()
    return {"text": render_text(report), "json": render_json(report), "csv": render_csv(report)}


async def test_no_agent_id_appears_in_any_output(seeded):
    for name, output in (await _outputs(seeded)).items():
        leaked = [agent for agent in AGENT_IDS if agent in output]
        assert leaked == [], name


async def test_the_text_report_leads_with_what_to_train_next(seeded):
    text = (await _outputs(seeded))["text"]
    lines = text.splitlines()
    assert lines[0] == "Insights for 2026-10-25 to 2026-11-23 (every server)"
    assert lines[2].startswith("TRAIN NEXT")
    assert "1. The customer wants a refund or compensation you can't give" in lines[3]
    assert "3 of 4 votes not helpful" in lines[4]
    assert "5 × “customer wants a refund for a damaged item” (4 declined, 1 unsure)" in text
    assert 'counted together as "other"' in text
    assert "2026-W47: 3" in text


async def test_json_holds_the_same_figures(seeded):
    data = json.loads((await _outputs(seeded))["json"])
    assert data["period"] == {"since": "2026-10-25", "until": "2026-11-23", "days": 30}
    assert [t["topic"] for t in data["train_next"]] == [
        "refund-not-possible",
        "stay-calm",
        "confused-customer",
    ]
    assert [g["count"] for g in data["asks"]["groups"]] == [5, 4, 3, 1]
    assert data["quiz"]["topics"]["merged_small_slices"] == 2
    assert data["debriefs"]["by_week"][-1] == {"week": "2026-W47", "count": 3}


async def test_the_csv_parses_into_one_tidy_table(seeded):
    rows = list(csv.DictReader(io.StringIO((await _outputs(seeded))["csv"])))
    assert rows and all(list(r) == list(CSV_COLUMNS) for r in rows)

    def pick(section: str, metric: str) -> list[dict[str, str]]:
        return [r for r in rows if r["section"] == section and r["metric"] == metric]

    assert [r["topic"] for r in pick("train_next", "evidence")] == [
        "refund-not-possible",
        "stay-calm",
        "confused-customer",
    ]
    assert [r["value"] for r in pick("ask_group", "asks")] == ["5", "4", "3", "1"]
    assert [(r["topic"], r["value"]) for r in pick("quiz_topic", "answered")] == [
        ("stay-calm", "8"),
        ("long-wait", "4"),
        ("other", "3"),
    ]
    assert [(r["week"], r["value"]) for r in pick("debrief_week", "debriefs")] == [
        ("2026-W45", "1"),
        ("2026-W46", "2"),
        ("2026-W47", "3"),
    ]
    assert {r["metric"]: r["value"] for r in rows if r["section"] == "summary"}["since"] == (
        "2026-10-25"
    )


async def test_asks_that_look_like_spreadsheet_formulas_stay_text_in_the_csv(app):
    log = AskLog(app.database)
    for question in ('=HYPERLINK("http://evil.example","click")', "+1+2", "@SUM(A1)", "-2+3"):
        await log.record(LoggedAsk(IN, question, None, 0.0, False))
    rows = list(csv.DictReader(io.StringIO(await _text(app, "csv"))))
    texts = [r["value"] for r in rows if r["metric"] in ("label", "example")]
    assert len(texts) == 4 and all(t[:1] not in ("=", "+", "-", "@") for t in texts)
    assert "'=HYPERLINK(" in " ".join(texts)


async def test_an_empty_database_says_nothing_yet_in_every_format(app):
    outputs = await _outputs(app)
    assert outputs["text"].startswith("Nothing to report yet for 2026-10-25 to 2026-11-23")
    assert json.loads(outputs["json"])["empty"] is True
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert {r["section"] for r in rows} == {"summary"}


async def test_terminal_escapes_in_stored_asks_do_not_reach_the_terminal(app):
    await AskLog(app.database).record(
        LoggedAsk(IN, "refund \x1b[2J\x1b]0;owned\x07 now", None, 0.0, False)
    )
    text = await _text(app, "text")
    assert "\x1b" not in text and "\x07" not in text


async def _text(app, output: str) -> str:
    return (await _outputs(app))[output]
