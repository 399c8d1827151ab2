"""Quiz posts, their closed form, feedback on an answer, practice, rankings and stats as data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from coachbot import actions
from coachbot.actions import Action
from coachbot.knowledge.models import KnowledgeBase, QuizItem
from coachbot.quiz.service import AgentStats, AnswerFeedback, AnswerKind, ClosedQuiz, OpenQuiz
from coachbot.store.quiz import Standing, TeamAccuracy

POST_FOOTER = "Answers are private. One answer per question."
OPEN_UNTIL = "Open until"
RETIRED_TEXT = "This question was retired."
FEEDBACK_TEXT = {
    AnswerKind.ALREADY_ANSWERED: "You already answered this question; your first answer counts.",
    AnswerKind.CLOSED: "This quiz has closed. The next one is on its way!",
    AnswerKind.RETIRED: "This question has been retired by the trainers.",
}
PERIOD_HEADINGS = {"week": "This week", "month": "This month", "all": "All time"}
NO_ANSWERS = "No answers yet. The first quiz is the best time to start!"
NO_TEAMS = "No team has three or more players yet."


@dataclass(frozen=True)
class QuizQuestion:
    """One question of a post: its heading, prompt and a button per choice."""

    title: str
    prompt: str
    answers: tuple[Action, ...]


@dataclass(frozen=True)
class QuizPost:
    """A quiz to post in a team's channel; answers are taken until `closes_at`."""

    post_id: int
    guild_id: str
    channel_id: str
    questions: tuple[QuizQuestion, ...]
    closes_at: datetime
    closes_label: str = OPEN_UNTIL
    footer: str = POST_FOOTER


@dataclass(frozen=True)
class ClosedQuestion:
    """A question once answers closed: `prompt` None means it was retired meanwhile."""

    title: str
    prompt: str | None
    answer: str
    explain: str
    tally: str  # "12 answered · 75% correct": counts only, never names


@dataclass(frozen=True)
class ClosedQuizPost:
    """The edit that turns a posted quiz into its results; its buttons go."""

    post_id: int
    guild_id: str
    channel_id: str
    message_id: str
    questions: tuple[ClosedQuestion, ...]


@dataclass(frozen=True)
class Feedback:
    """The private reply to a click: right or not, the answer, why, and the card to read."""

    correct: bool
    title: str
    answer: str
    explain: str
    topic_title: str | None
    open_card: Action | None


@dataclass(frozen=True)
class Practice:
    title: str
    prompt: str
    footer: str
    answers: tuple[Action, ...]


@dataclass(frozen=True)
class RankingLine:
    """`rank`. `who`: `score` (`detail`); `who` is an agent or a channel id, as `kind` says."""

    rank: int
    who: str
    score: str
    detail: str


@dataclass(frozen=True)
class Ranking:
    title: str
    kind: str  # "agent" or "channel": how an adapter names `who` without pinging
    lines: tuple[RankingLine, ...]
    empty: str


@dataclass(frozen=True)
class StatsView:
    title: str
    fields: tuple[tuple[str, str], ...]  # (name, value) in order, each short
    practise_label: str
    practise: tuple[tuple[str, str], ...]  # weakest topics: (title, "2/5" right of answered)
    practise_empty: str
    footer: str


def _label(text: str, choice: int) -> str:
    return text.strip() or "ABCD"[choice]


def _answers(post_id: int, position: int, item: QuizItem) -> tuple[Action, ...]:
    return tuple(
        Action(actions.quiz_answer(post_id, position, choice), _label(text, choice), row=position)
        for choice, text in enumerate(item.choices)
    )


def quiz_post(quiz: OpenQuiz) -> QuizPost:
    many = len(quiz.items) > 1
    questions = tuple(
        QuizQuestion(
            f"Question {n + 1}" if many else "Today's quiz",
            item.prompt,
            _answers(quiz.post_id, n, item),
        )
        for n, item in enumerate(quiz.items)
    )
    return QuizPost(quiz.post_id, quiz.guild_id, quiz.channel_id, questions, quiz.closes_at)


def closed_post(closed: ClosedQuiz) -> ClosedQuizPost:
    """The right answers and the tally, no names."""
    questions = []
    for n, (item, tally) in enumerate(closed.results):
        share = f"{tally.correct / tally.answered:.0%}" if tally.answered else "–"
        questions.append(
            ClosedQuestion(
                f"Question {n + 1} (closed)",
                item.prompt if item else None,
                item.correct_choice if item else "",
                item.explain if item else "",
                f"{tally.answered} answered · {share} correct",
            )
        )
    post = closed.post
    return ClosedQuizPost(
        post.id, post.guild_id, post.channel_id, post.message_id or "", tuple(questions)
    )


def feedback(result: AnswerFeedback, kb: KnowledgeBase) -> Feedback | str:
    """A recorded answer's feedback, or the one line for a refused click."""
    if result.kind is not AnswerKind.RECORDED or result.item is None:
        return FEEDBACK_TEXT[result.kind]
    item = result.item
    topic = kb.topic(item.topic_id)
    return Feedback(
        result.correct,
        "✅ Right!" if result.correct else "❌ Not quite",
        item.correct_choice,
        item.explain,
        topic.title if topic else None,
        Action(actions.open_topic(topic.id), f"Open card: {topic.title}") if topic else None,
    )


def practice(item: QuizItem, box: int) -> Practice:
    answers = tuple(
        Action(actions.practice_answer(item.id, choice), _label(text, choice))
        for choice, text in enumerate(item.choices)
    )
    return Practice("Practice", item.prompt, f"Box {box} of 5 · misses come back sooner", answers)


def nothing_to_practise(next_due: date | None) -> str:
    when = f" Next one due {next_due:%A %d %B}." if next_due else ""
    return f"You have practised everything there is.{when}"


def leaderboard(standings: list[Standing], period: str) -> Ranking:
    lines = tuple(
        RankingLine(
            n,
            s.agent_id,
            f"{s.points} point{'s' if s.points != 1 else ''}",
            f"{s.answered} answered",
        )
        for n, s in enumerate(standings, 1)
    )
    return Ranking(f"Leaderboard: {PERIOD_HEADINGS[period]}", "agent", lines, NO_ANSWERS)


def teams(rows: list[TeamAccuracy]) -> Ranking:
    lines = tuple(
        RankingLine(
            n,
            t.channel_id,
            f"{t.correct / t.answered:.0%} correct",
            f"{t.agents} agents, {t.answered} answers",
        )
        for n, t in enumerate(rows, 1)
    )
    return Ranking("Teams by accuracy", "channel", lines, NO_TEAMS)


def stats(result: AgentStats, kb: KnowledgeBase, practice_command: str) -> StatsView:
    streak = f"{result.streak} quiz day{'s' if result.streak != 1 else ''}"
    weakest = tuple(
        (
            kb.by_id[t.topic_id].title if t.topic_id in kb.by_id else t.topic_id,
            f"{t.correct}/{t.answered}",
        )
        for t in result.weakest
    )
    return StatsView(
        "Your quiz stats",
        (
            ("Points", str(result.points)),
            ("Accuracy", f"{result.accuracy:.0%} of {result.answered}"),
            ("Streak", streak),
        ),
        "To practise",
        weakest,
        "Nothing missed yet.",
        f"{result.practice_due} practice question(s) due: try {practice_command}",
    )
