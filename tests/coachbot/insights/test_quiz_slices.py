"""No quiz figure describes fewer than 3 people, not even by subtracting one from another."""

from __future__ import annotations

from coachbot.insights.models import OTHER
from coachbot.insights.quiz import accuracy_table
from coachbot.store.insights import AgentCell


def _cells(key: str, *agents: str, correct: bool = True) -> list[AgentCell]:
    return [AgentCell(key, agent, 1, int(correct)) for agent in agents]


def _rows(table) -> list[tuple[str, int, int, int]]:
    return [(r.key, r.agents, r.answered, r.correct) for r in table.rows]


def test_slices_of_three_or_more_people_are_shown_worst_first():
    cells = _cells("a", "p1", "p2", "p3") + _cells("b", "p1", "p2", "p3", "p4", correct=False)
    table = accuracy_table(cells, str)
    assert _rows(table) == [("b", 4, 4, 0), ("a", 3, 3, 3)]
    assert table.merged == 0


def test_a_slice_of_two_people_is_hidden():
    cells = _cells("big", "p1", "p2", "p3", "p4") + _cells("small", "p5", "p6")
    table = accuracy_table(cells, str)
    assert "small" not in [r.key for r in table.rows]
    # alone, "other" would be the 2 people; so the smallest shown slice joins it
    assert _rows(table) == [(OTHER, 6, 6, 6)]
    assert table.merged == 2


def test_two_small_slices_with_three_people_together_are_shown_as_other():
    cells = (
        _cells("big", "p1", "p2", "p3")
        + _cells("s1", "p4", "p5")
        + _cells("s2", "p6", correct=False)
    )
    table = accuracy_table(cells, str)
    assert _rows(table) == [("big", 3, 3, 3), (OTHER, 3, 3, 2)]


def test_people_are_counted_once_in_other_even_if_they_answered_several_small_slices():
    cells = _cells("big", "p1", "p2", "p3") + _cells("s1", "p4", "p5") + _cells("s2", "p4", "p5")
    table = accuracy_table(cells, str)
    [row] = table.rows
    assert (row.key, row.agents, row.answered) == (OTHER, 5, 7)


def test_if_everyone_together_is_still_under_three_nothing_is_shown():
    table = accuracy_table(_cells("a", "p1") + _cells("b", "p2"), str)
    assert table.rows == () and table.withheld and table.merged == 2
