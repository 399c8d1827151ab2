"""Quiz accuracy slices that never describe fewer than MIN_PEOPLE people.

A slice (topic, team or channel) answered by fewer than MIN_PEOPLE distinct agents is folded
into one "other" row. If "other" itself still has fewer people, the smallest published slice
joins it as well (secondary suppression), because otherwise a total minus the published rows
would give the small slice away. If there is nothing to fold in, "other" is withheld.
Agent ids are used here to count distinct people and go no further.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from coachbot.insights.models import OTHER, Accuracy, QuizTable
from coachbot.store.insights import AgentCell

MIN_PEOPLE = 3


@dataclass
class _Slice:
    key: str
    agents: set[str] = field(default_factory=set)
    answered: int = 0
    correct: int = 0

    def add(self, agent_id: str, answered: int, correct: int) -> None:
        self.agents.add(agent_id)
        self.answered += answered
        self.correct += correct


def accuracy_table(
    cells: Iterable[AgentCell], label: Callable[[str], str], *, min_people: int = MIN_PEOPLE
) -> QuizTable:
    slices: dict[str, _Slice] = {}
    for cell in cells:
        slices.setdefault(cell.key, _Slice(cell.key)).add(
            cell.agent_id, cell.answered, cell.correct
        )
    shown = [s for s in slices.values() if len(s.agents) >= min_people]
    small = [s for s in slices.values() if len(s.agents) < min_people]
    other = _Slice(OTHER)
    merged = 0
    if small:
        for s in small:
            _fold(other, s)
        merged = len(small)
        shown.sort(key=lambda s: (len(s.agents), s.answered, s.key))
        while len(other.agents) < min_people and shown:
            _fold(other, shown.pop(0))
            merged += 1
    rows = [_row(s, label(s.key)) for s in shown]
    rows.sort(key=lambda r: (r.accuracy, -r.answered, r.key))
    withheld = bool(merged) and len(other.agents) < min_people
    if merged and not withheld:
        noun = "slice" if merged == 1 else "slices"
        rows.append(_row(other, f"other ({merged} smaller {noun} together)"))
    return QuizTable(tuple(rows), merged=merged, withheld=withheld)


def _fold(into: _Slice, part: _Slice) -> None:
    into.agents |= part.agents
    into.answered += part.answered
    into.correct += part.correct


def _row(s: _Slice, label: str) -> Accuracy:
    return Accuracy(s.key, label, len(s.agents), s.answered, s.correct)
