"""Agents' picks as proposed example questions, and the tokens their buttons carry.

No identity anywhere: the text is scrubbed before it gets here, dates are days, and a token
names a question, never a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from coachbot.safetext import well_formed
from coachbot.store.database import Database

State = Literal["open", "accepted", "rejected"]

# one statement per way of picking: the column is never built from input
_ADD_PICK = {
    via: (
        "INSERT INTO suggestions (topic_id, question_key, question, picks, "
        f"{column}, first_day, last_day) VALUES (?, ?, ?, 1, 1, ?, ?)"
        " ON CONFLICT (topic_id, question_key) DO UPDATE SET picks = suggestions.picks + 1,"
        f" {column} = suggestions.{column} + 1,"
        # shared SQL (SQLite and PostgreSQL): the later of the two days, whatever order
        " last_day = CASE WHEN excluded.last_day > suggestions.last_day"
        " THEN excluded.last_day ELSE suggestions.last_day END"
    )
    for via, column in (
        ("clarify", "via_clarify"),
        ("decline", "via_decline"),
        ("related-after-not-helpful", "via_related"),
    )
}
_COLUMNS = (
    "id, topic_id, question, picks, via_clarify, via_decline, via_related,"
    " first_day, last_day, state"
)


@dataclass(frozen=True)
class StoredSuggestion:
    id: int
    topic_id: str
    question: str  # scrubbed
    picks: int
    via_clarify: int
    via_decline: int
    via_related: int
    first_day: date
    last_day: date
    state: State


def _suggestion(row) -> StoredSuggestion:
    id_, topic, question, picks, clarify, decline, related, first, last, state = row
    return StoredSuggestion(
        int(id_),
        topic,
        question,
        int(picks),
        int(clarify),
        int(decline),
        int(related),
        date.fromisoformat(first),
        date.fromisoformat(last),
        state,
    )


@dataclass(frozen=True)
class TakenToken:
    question: str  # scrubbed
    not_helpful: bool  # the card it came with was marked "Not helpful"


class SuggestionStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add_pick(self, topic_id: str, key: str, question: str, via: str, day: date) -> None:
        """Count one pick of `topic_id` for this question (a new suggestion, or one more)."""
        await self._db.execute(
            _ADD_PICK[via], (topic_id, key, well_formed(question), day.isoformat(), day.isoformat())
        )

    async def listed(
        self, state: State = "open", topic_id: str | None = None
    ) -> list[StoredSuggestion]:
        """Most picked first, then the most recently picked, then the oldest id."""
        sql = f"SELECT {_COLUMNS} FROM suggestions WHERE state = ?"
        params: list[object] = [state]
        if topic_id is not None:
            sql += " AND topic_id = ?"
            params.append(topic_id)
        sql += " ORDER BY picks DESC, last_day DESC, id"
        rows = await self._db.fetch(sql, params)
        return [_suggestion(row) for row in rows]

    async def get(self, suggestion_id: int) -> StoredSuggestion | None:
        rows = await self._db.fetch(
            f"SELECT {_COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,)
        )
        return _suggestion(rows[0]) if rows else None

    async def decide(self, suggestion_id: int, state: State, day: date) -> bool:
        """Claim an open suggestion for `state`; False when it is not open (any more).

        Claimed before the file is written, so two trainers (or processes) accepting the same
        suggestion write it once."""
        changed = await self._db.execute(
            "UPDATE suggestions SET state = ?, decided_day = ? WHERE id = ? AND state = 'open'",
            (state, day.isoformat(), suggestion_id),
        )
        return changed == 1

    async def reopen(self, suggestion_id: int) -> None:
        """Undo a claim whose file edit failed."""
        await self._db.execute(
            "UPDATE suggestions SET state = 'open', decided_day = NULL WHERE id = ?",
            (suggestion_id,),
        )

    async def put_token(self, token: str, question: str, day: date) -> None:
        await self._db.execute(
            "INSERT INTO pick_tokens (token, question, day) VALUES (?, ?, ?)",
            (token, well_formed(question), day.isoformat()),
        )

    async def put_tokens(self, tokens: Sequence[tuple[str, str | None, date]]) -> None:
        """(token, question, day) rows in one statement, as the ask log's batch writes them.
        A token without a question (its masking failed, or it could never be taught) is kept
        used up: another process waiting for the token sees it written and stops waiting."""
        await self._db.executemany(
            "INSERT INTO pick_tokens (token, question, day, used) VALUES (?, ?, ?, ?)",
            [
                (token, well_formed(question or ""), day.isoformat(), int(question is None))
                for token, question, day in tokens
            ],
        )

    async def has_token(self, token: str) -> bool:
        """Whether the token was written (used up or not)."""
        return bool(await self._db.fetch("SELECT 1 FROM pick_tokens WHERE token = ?", (token,)))

    async def mark_not_helpful(self, token: str, since: date) -> bool:
        changed = await self._db.execute(
            "UPDATE pick_tokens SET not_helpful = 1 WHERE token = ? AND day >= ?",
            (token, since.isoformat()),
        )
        return changed == 1

    async def take_token(self, token: str, since: date) -> TakenToken | None:
        """The token's question, once: a second click on the same reply counts nothing."""
        rows = await self._db.fetch(
            "UPDATE pick_tokens SET used = 1 WHERE token = ? AND used = 0 AND day >= ?"
            " RETURNING question, not_helpful",
            (token, since.isoformat()),
        )
        return TakenToken(rows[0][0], bool(rows[0][1])) if rows else None

    async def expire_tokens(self, before: date) -> int:
        changed = await self._db.execute(
            "DELETE FROM pick_tokens WHERE day < ?", (before.isoformat(),)
        )
        return changed
