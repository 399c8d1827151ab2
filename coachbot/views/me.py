"""`me data` and `me forget` as data: what an agent is shown about their own data, and the
words of the confirmation, the same on every platform (each adapter names its own command)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachbot import actions
from coachbot.actions import Action, Style
from coachbot.insights.personal import NOT_LINKED, Forgotten, MyData, due_text

SHOWN = 10  # lines per section; the rest is counted
TITLE = "What CoachBot stores about you"
NOTHING = "No quiz answers, practice cards or pauses: nothing is linked to you."
CANCELLED = "Cancelled. Nothing was deleted."


@dataclass(frozen=True)
class MyDataView:
    """Sections of (heading, text) in order; `empty` says so when nothing is linked."""

    title: str
    empty: str | None
    sections: tuple[tuple[str, str], ...]
    footer: str


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _lines(lines: list[str]) -> str:
    more = f"\n… and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
    return "\n".join(lines[:SHOWN]) + more


def my_data_view(mine: MyData, today: date, *, forget_command: str) -> MyDataView:
    sections: list[tuple[str, str]] = []
    answers = [f"{mine.title(a.topic_id)}: {a.correct} of {a.answered} right" for a in mine.answers]
    if answers:
        heading = f"Quiz answers ({mine.answered}, {mine.correct} right)"
        sections.append((heading, _lines(answers)))
    if mine.streak is not None:
        sections.append(("Streak in this server", plural(mine.streak, "day")))
    cards = [
        f"{mine.title(c.topic_id)} · box {c.box} · {due_text(c.due_day, today)}" for c in mine.cards
    ]
    if cards:
        sections.append((f"Practice cards ({len(cards)})", _lines(cards)))
    if mine.pauses:
        pauses = [f"{p.first_day} to {p.last_day}" for p in mine.pauses][:SHOWN]
        sections.append(("Streak pauses", "\n".join(pauses)))
    sections.append(("Not linked to you", NOT_LINKED))
    footer = f"{forget_command} deletes all of the above."
    return MyDataView(TITLE, NOTHING if mine.empty else None, tuple(sections), footer)


def nothing_to_forget() -> str:
    return "CoachBot holds no quiz data of yours, so there is nothing to delete.\n" + NOT_LINKED


def confirm_text(mine: MyData) -> str:
    return (
        f"This deletes, for good, your {plural(mine.answered, 'quiz answer')}, "
        f"{plural(len(mine.cards), 'practice card')} and "
        f"{plural(len(mine.pauses), 'streak pause')} in every server: your points, "
        "streaks and places on leaderboards go with them.\n"
        "Asks, votes and debriefs are not linked to you, so they stay. Delete?"
    )


def forgotten_text(gone: Forgotten) -> str:
    if not gone.total:
        return "Nothing left to delete: CoachBot holds no quiz data of yours."
    return (
        f"Deleted {plural(gone.answers, 'quiz answer')}, {plural(gone.cards, 'practice card')} "
        f"and {plural(gone.pauses, 'streak pause')}. Leaderboards and streaks no longer count "
        "them. Answering a new quiz starts a fresh record."
    )


def not_yours(forget_command: str) -> str:
    return f"Only the person who asked can confirm this. Use `{forget_command}` for your own data."


def forget_actions(user_id: str) -> tuple[Action, Action]:
    """Delete my data / Cancel; only `user_id` (the platform's own id) may press them."""
    return (
        Action(actions.forget("yes", user_id), "Delete my data", Style.DANGER),
        Action(actions.forget("no", user_id), "Cancel"),
    )
