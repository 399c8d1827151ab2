"""The terminal adapter: the same services as Discord, rendered as plain text."""

from __future__ import annotations

import asyncio
import shutil
import sys
import textwrap
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TextIO

from coachbot.app import App
from coachbot.ask import AskKind, AskResult
from coachbot.debrief.conversation import DebriefConversation
from coachbot.errors import CoachError
from coachbot.knowledge.models import KnowledgeBase, QuizItem, Topic
from coachbot.knowledge.reload import ReloadResult
from coachbot.knowledge.watch import KnowledgeWatcher, watching
from coachbot.safetext import well_formed
from coachbot.suggestions import CLARIFY, DECLINE
from coachbot.suggestions_command import render_decision, render_list
from coachbot.terminal import TerminalLines

WIDTH = 78
MIN_TITLE_WIDTH = 20  # on a very narrow terminal the titles still get this many columns
PROMPT = "you> "
QUIT_WORDS = frozenset({"quit", "exit", "bye", "q", ":q"})
GOODBYE = "Bye. Good luck out there."

ASK_LINE = "Ask me how to handle a difficult customer, in your own words"
# The chat's commands, in the order `help` lists them; one home for every list of them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("topics", "list every card; type a topic id from the list to open its card"),
    ("quiz", "a practice question, answered with its number"),
    ("stats", "your practice so far"),
    ("debrief", "write an anonymous debrief of a tough call"),
    ("suggestions", "for trainers: questions agents matched by hand (accept N, reject N)"),
    ("reload", "for trainers: read the knowledge files again"),
    ("help", "this text"),
    ("quit", "leave the chat"),
)
COMMAND_NAMES = ", ".join(name for name, _ in COMMANDS)
HELP_TEXT = "\n".join(
    [
        f"{ASK_LINE}, for example:",
        "  customer keeps screaming at me",
        "  caller wants a refund we can't give",
        "  how do I end a call with an abusive customer",
        'When I ask "Which is closest?", type the number of a choice (0: none of these).',
        "Commands:",
        *(f"  {name:<12}{what}" for name, what in COMMANDS),
    ]
)
GREETING = (
    f"CoachBot local chat. {ASK_LINE}.\nType 'help' for examples and commands, 'quit' to leave.\n"
)
# `coachbot ask` is one command, not a conversation: its replies name commands to run.
ONE_SHOT_HELP_TEXT = f"""\
{ASK_LINE}, for example:
  coachbot ask "customer keeps screaming at me"
  coachbot ask "caller wants a refund we can't give"
Run `coachbot topics` to list every card, `coachbot chat` for a conversation."""
NOT_A_QUESTION_TEXT = (
    "That doesn't look like a question. Tell me what the customer is doing, in a few words, "
    "for example: {example}"
)
CHAT_COMMAND_TEXT = (
    "'{command}' is not a command here. Commands: "
    + COMMAND_NAMES
    + ". Anything else, type as a question, for example: customer keeps yelling at me."
)
ONE_SHOT_COMMAND_TEXT = (
    "'{command}' is not a question. Run `coachbot topics` to list every card and "
    '`coachbot --help` for every command, or ask in words: coachbot ask "<your question>".'
)

CHAT_HOW_TO_DECIDE = "Type accept N to add question N to its card, reject N to drop it."

LOCAL_AGENT = "local"  # the terminal has one agent; quiz data is kept under this id
LOCAL_TEAM = "local"


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent)
    )


def render_card(topic: Topic, confidence: float | None = None) -> str:
    lines = [f"== {topic.title} ==", _wrap(topic.summary), "", "Steps:"]
    lines += [_wrap(step, f"  {n}. ") for n, step in enumerate(topic.steps, 1)]
    lines += ["", "Say:"] + [_wrap(f'"{s}"', "  + ") for s in topic.say]
    lines += ["", "Avoid:"]
    lines += [_wrap(f'"{a.phrase}" - {a.why}', "  - ") for a in topic.avoid]
    if topic.related:
        lines += ["", "Related: " + ", ".join(topic.related)]
    footer = f"Topic: {topic.id}"
    if confidence is not None:
        footer += f" (match {confidence:.0%})"
    return "\n".join([*lines, footer])


def render_question(item: QuizItem, box: int) -> str:
    lines = [f"Practice (box {box} of 5):", _wrap(item.prompt)]
    lines += [_wrap(choice, f"  {n}. ") for n, choice in enumerate(item.choices, 1)]
    return "\n".join([*lines, "Answer with the number."])


def render_topics(kb: KnowledgeBase, width: int | None = None) -> str:
    """Ids in a column, titles wrapped beside them to `width` (default: the terminal's)."""
    if width is None:
        width = shutil.get_terminal_size().columns - 1  # a full line would wrap on its own
    column = max(len(t.id) for t in kb.topics)
    indent = " " * (2 + column + 2)
    lines = [f"{len(kb.topics)} topics:"]
    for topic in sorted(kb.topics, key=lambda t: t.id):
        lines += textwrap.wrap(
            topic.title,
            width=max(width, len(indent) + MIN_TITLE_WIDTH),
            initial_indent=f"  {topic.id.ljust(column)}  ",
            subsequent_indent=indent,
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def render_choices(result: AskResult, *, one_shot: bool = False) -> str:
    """The "Which is closest?" choices: numbered in the chat, one-shot the command for each."""
    lines = ["Which is closest?"]
    if one_shot:
        lines += [f"  - {t.title}: coachbot ask {t.id}" for t in result.alternatives]
        lines.append("None of these? Ask again in other words; the trainers see the question.")
        return "\n".join(lines)
    lines += [_wrap(t.title, f"  {n}) ") for n, t in enumerate(result.alternatives, 1)]
    lines += ["  0) none of these", "Type the number."]
    return "\n".join(lines)


def render_result(result: AskResult, *, one_shot: bool = False) -> str:
    """The reply in the chat, or (`one_shot`) for `coachbot ask`, which names commands."""
    if result.kind is AskKind.CARD and result.topic:
        return render_card(result.topic, result.confidence)
    if result.kind is AskKind.CLARIFY and result.alternatives:
        return render_choices(result, one_shot=one_shot)
    if result.kind is AskKind.HELP:
        return ONE_SHOT_HELP_TEXT if one_shot else HELP_TEXT
    if result.kind is AskKind.NOT_A_QUESTION:
        example = "customer keeps yelling at me"
        example = f'coachbot ask "{example}"' if one_shot else example
        return NOT_A_QUESTION_TEXT.format(example=example)
    if result.kind is AskKind.COMMAND:
        text = ONE_SHOT_COMMAND_TEXT if one_shot else CHAT_COMMAND_TEXT
        return text.format(command=result.question)
    if result.kind is AskKind.EMPTY:
        return "Type a question in words, for example: customer keeps yelling at me."
    if result.kind is AskKind.TOO_LONG:
        return (
            "That message is too long for me. Ask in a sentence or two "
            "(under 1,000 characters), for example: caller threatens to cancel."
        )
    closest = ", ".join(t.id for t in result.alternatives)
    reply = "I don't have a card for that yet. I've noted the question for the trainers."
    if closest and one_shot:
        reply += (
            f"\nClosest topics: {closest}\n"
            "(open one with `coachbot ask <topic id>`; `coachbot topics` lists all)"
        )
    elif closest:
        reply += (
            f"\nClosest topics: {closest}\n(type a topic id to open it, or 'topics' to list all)"
        )
    elif one_shot:
        reply += "\nRun `coachbot topics` to see everything I can help with."
    else:
        reply += "\nType 'topics' to see everything I can help with."
    return reply


def render_reload(result: ReloadResult, *, details: bool = True) -> str:
    """What changed, or every problem (`file:line:col: message`) and the version kept."""
    if result.ok and result.changes is not None:
        lines = [f"Knowledge reloaded (version {result.version}): {result.changes.summary()}."]
        if details:
            lines += [f"  {line}" for line in result.changes.details()]
        return "\n".join(lines)
    count = len(result.problems)
    head = (
        f"Knowledge NOT reloaded: {count} problem{'' if count == 1 else 's'}. "
        f"Version {result.version} stays live."
    )
    return "\n".join([head, *result.problems])


def watch_locally(
    app: App, stream: TextIO | None = None, *, announce: Callable[[str], None] | None = None
) -> AbstractAsyncContextManager[KnowledgeWatcher | None]:
    """Automatic reload in the terminal: a one-line summary, or every problem, to stderr
    (`stream`), or through `announce` (the chat's `Console.notice`, which keeps the prompt)."""

    async def reload_after_edit(_changed: frozenset[str]) -> None:
        text = render_reload(await app.reloader.reload(), details=False)
        if announce is not None:
            announce(text)
        else:
            print(text, file=stream or sys.stderr, flush=True)

    settings = app.settings
    return watching(settings.knowledge_dir, reload_after_edit, enabled=settings.watch_knowledge)


class Console:
    """A chat loop whose `handle` is also what tests talk to."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.pending: QuizItem | None = None  # the practice question awaiting a number
        self.debrief: DebriefConversation | None = None  # a debrief being written
        self.asked: AskResult | None = None  # the last clarify or decline, for picks from it
        self._prompt: TextIO | None = None  # where `you> ` shows now, awaiting a line

    def notice(self, text: str, stream: TextIO | None = None) -> None:
        """A message from outside the conversation (a live reload) to stderr, on a line of its
        own: when it comes while `you> ` awaits a line, the prompt is drawn again below it
        (anything half typed stays in the terminal's line and is still sent with Enter)."""
        prompt = self._prompt
        if prompt is not None:
            print(file=prompt, flush=True)
        print(text, file=stream or sys.stderr, flush=True)
        if prompt is not None:
            print(PROMPT, end="", file=prompt, flush=True)

    async def handle(self, line: str) -> str:
        text = well_formed(line).strip()  # nothing unencodable reaches the store
        command = text.lower()
        kb = self.app.knowledge.kb
        if self.debrief is not None:
            reply, finished = await self.debrief.step(text)
            if finished:
                self.debrief = None
            return reply
        if self.pending is not None and command.isdigit():
            return await self._answer(int(command))
        asked, self.asked = self.asked, None
        if asked is not None and asked.clarify and command.isdigit():
            return await self._choose(asked, int(command))
        if command in ("debrief", "/debrief"):
            self.debrief = DebriefConversation(self.app.debriefs)
            return self.debrief.first_prompt()
        self.pending = None
        if command in ("quiz", "practice", "/quiz"):
            return await self._practice()
        if command in ("stats", "/stats"):
            return await self._stats()
        if command in ("topics", "list", "/topics"):
            return render_topics(kb)
        if command in ("help", "/help", "?"):
            return HELP_TEXT
        if command in ("reload", "/reload"):  # for trainers: read the knowledge files again
            return render_reload(await self.app.reloader.reload())
        if command in ("suggestions", "/suggestions"):  # for trainers, as `kb suggestions`
            return render_list(await self.app.suggestions.open(), how=CHAT_HOW_TO_DECIDE)
        verb, _, number = command.partition(" ")
        if verb in ("accept", "reject") and number.strip().isdigit():
            return await self._decide(verb == "accept", int(number))
        topic = kb.topic(command)
        if topic is not None:
            if asked is not None and topic in asked.alternatives:  # a pick from those choices
                await self._record_pick(asked, topic.id)
            return render_card(topic)
        result = await self.app.asks.ask(text)
        if result.kind in (AskKind.CLARIFY, AskKind.DECLINED) and result.alternatives:
            self.asked = result
        return render_result(result)

    async def _decide(self, accept: bool, number: int) -> str:
        """`accept N` or `reject N` from the suggestions list."""
        service = self.app.suggestions
        try:
            decision = await (service.accept if accept else service.reject)(number)
        except CoachError as exc:
            return exc.user_message
        if not decision.accepted:
            return render_decision(decision)
        text = f"Accepted {decision.suggestion.id}: added to {decision.file}."
        if decision.reload is not None:
            text += "\n" + render_reload(decision.reload, details=False)
        return text

    async def _choose(self, asked: AskResult, number: int) -> str:
        """A number after "Which is closest?": that card, or 0 for none of them."""
        if not 0 <= number <= len(asked.alternatives):
            self.asked = asked
            return f"Type a number from 0 to {len(asked.alternatives)}."
        if number == 0:
            await self._record_pick(asked, None)
            return (
                "Noted: the trainers will see that question. Try other words, "
                "or type 'topics' to list every card."
            )
        topic = asked.alternatives[number - 1]
        await self._record_pick(asked, topic.id)
        return render_card(topic)

    async def _record_pick(self, asked: AskResult, topic_id: str | None) -> None:
        via = CLARIFY if asked.clarify else DECLINE
        await self.app.suggestions.record_pick(asked.question, topic_id, via)

    async def _practice(self) -> str:
        question = await self.app.quiz.practice_next(LOCAL_AGENT)
        if question.item is None:
            return "You have practised everything there is for now."
        self.pending = question.item
        return render_question(question.item, question.box)

    async def _answer(self, number: int) -> str:
        item, self.pending = self.pending, None
        assert item is not None  # handle() answers only while a question is pending
        if not 1 <= number <= len(item.choices):
            self.pending = item
            return f"Answer with a number from 1 to {len(item.choices)}."
        result = await self.app.quiz.practice_answer(LOCAL_AGENT, item.id, number - 1)
        verdict = "Right!" if result.correct else f"Not quite. The answer: {item.correct_choice}"
        return f"{verdict}\n{_wrap(item.explain)}\nRead more: {item.topic_id}"

    async def _stats(self) -> str:
        stats = await self.app.quiz.stats(LOCAL_AGENT, LOCAL_TEAM)
        boxes = await self.app.quiz.practice_boxes(LOCAL_AGENT)
        if not boxes:
            return "No practice yet. Type 'quiz' for a question."
        spread = ", ".join(f"box {box}: {count}" for box, count in sorted(boxes.items()))
        return (
            f"Practice cards: {sum(boxes.values())} ({spread}); {stats.practice_due} due now.\n"
            "Misses go back to box 1 and come back tomorrow; each hit moves a card up a box "
            "(1, 2, 4, 8, 16 days)."
        )

    async def run(
        self,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        interrupted: asyncio.Event | None = None,
    ) -> int:
        """Talk until 'quit' or end of input (0), or until `interrupted` is set: Ctrl+C (130)."""
        stdin = sys.stdin if stdin is None else stdin
        stdout = sys.stdout if stdout is None else stdout
        interactive = stdin.isatty()
        print(GREETING, file=stdout)
        lines = TerminalLines(stdin, interrupted)
        while True:
            if interactive:
                print(PROMPT, end="", file=stdout, flush=True)
                self._prompt = stdout
            try:
                line = await lines.next()
            finally:
                self._prompt = None
            if line is None or line.strip().lower() in QUIT_WORDS:
                break
            if not line.strip():
                continue
            print(await self.handle(line), file=stdout, end="\n\n", flush=True)
        if lines.interrupted:
            print(file=stdout)  # off the line where the terminal echoed ^C
        print(GOODBYE, file=stdout, flush=True)
        return 130 if lines.interrupted else 0
