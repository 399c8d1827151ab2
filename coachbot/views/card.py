"""An answer to a question as every adapter shows it: what it says, in which order, with which
buttons, clipped to the one content-limits rule (coachbot.limits). Decided once, here.

API (adapters draw these; they decide nothing):

- ``ask_view(result, *, shareable, token="", commands=SLASH) -> CardView | ChoicesView |
  ReplyView`` for any AskResult; ``needs_token(result) -> bool`` says whether to call
  ``app.suggestions.remember(result.question)`` first and pass its token (a click on the
  reply's buttons then records what the agent picked).
- ``card_view(topic, related, *, shareable, token="") -> CardView`` for a card opened from a
  button, a menu or a share (``related``: a mapping of topic ids to topics, the answer's own
  version of the knowledge base).
- ``CardView``: ``topic_id, title, summary, sections (Steps, Say, Avoid: CardSection(name,
  lines) each within limits.CARD_SECTION, whole lines), tip (or None), footer, actions, token``;
  ``steps``/``say``/``avoid`` name the sections. Actions: Share in channel (``shareable``
  only), Helpful, Not helpful (row 0); up to RELATED_SHOWN related topics (row 1).
- ``ChoicesView``: ``text, via, actions``: a clarify ("Which is closest?": a button per
  offered topic, then "None of these" on row 1) or a decline (the closest CHOICES_SHOWN topics,
  then "Browse all topics" on row 1).
- ``ReplyView``: ``text``, for help, empty, too long, a command, not a question.

Texts are plain, with only `code` and _emphasis_ markup, which both platforms show; they name
the commands through ``CommandNames`` (Discord's slash commands by default; Slack passes its
``/coach`` forms). Labels fit limits.BUTTON_LABEL. Adapters escape what they must and may
still clip defensively at their own platform's limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coachbot import actions, limits
from coachbot.actions import Action, Style
from coachbot.ask import AskKind, AskResult
from coachbot.knowledge.models import Topic
from coachbot.knowledge.shown import avoid_line, say_lines, step_lines
from coachbot.views.topics import browse_action, label

RELATED_SHOWN = 3  # related topics under a card
CHOICES_SHOWN = 3  # closest topics under a decline (a clarify shows all it offers)
SUMMARY_CHARS = 1500  # the short answer (the lint allows 1000)
TIP_CHARS = 300
FOOTER_CHARS = 400
VIA_CLARIFY, VIA_DECLINE = "c", "d"  # what a choice button says it came from


@dataclass(frozen=True)
class CommandNames:
    """How the commands are typed on a platform, for replies that point to them."""

    ask: str = "/ask"
    topics: str = "/topics"
    tip: str = "/tip"
    help: str = "/help"


SLASH = CommandNames()


@dataclass(frozen=True)
class CardSection:
    name: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class CardView:
    """A coaching card: title, short answer, Steps, Say, Avoid, tip, footer and buttons."""

    topic_id: str
    title: str
    summary: str
    sections: tuple[CardSection, ...]
    tip: str | None
    footer: str
    actions: tuple[Action, ...]
    token: str = ""  # the suggestions token its Not helpful and related buttons carry

    def section(self, name: str) -> CardSection:
        return next(s for s in self.sections if s.name == name)

    @property
    def steps(self) -> CardSection:
        return self.section("Steps")

    @property
    def say(self) -> CardSection:
        return self.section("Say")

    @property
    def avoid(self) -> CardSection:
        return self.section("Avoid")


@dataclass(frozen=True)
class ChoicesView:
    """A question with no card yet: topics to choose from, as buttons under `text`."""

    text: str
    via: str  # VIA_CLARIFY or VIA_DECLINE
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class ReplyView:
    """A plain line: help, or why the text got no card."""

    text: str


AskView = CardView | ChoicesView | ReplyView


# ---- texts ----------------------------------------------------------------------------------


def help_text(c: CommandNames = SLASH) -> str:
    return (
        "Ask me how to handle a difficult customer, in your own words, for example "
        "_customer keeps screaming at me_ or _caller wants a refund we can't give_.\n"
        f"• `{c.ask}` (only you see the answer), or mention me, or send me a DM\n"
        f"• `{c.topics}` to browse every card, `{c.tip}` for the tip of the day"
    )


EMPTY_TEXT = "Type a question, for example: _customer keeps interrupting me_."
TOO_LONG_TEXT = (
    "That is longer than I can read in one go. Ask in a sentence or two, "
    "for example: _customer threatens to cancel_."
)
DECLINED_TEXT = "I don't have a card for that yet. These are the closest topics I have:"
CLARIFY_TEXT = "Which is closest? Pick one to open its card."
NOT_A_QUESTION_TEXT = (
    "That doesn't look like a question. Tell me what the customer is doing, in a few words, "
    "for example: _customer keeps yelling at me_."
)
NONE_OF_THESE = "None of these"
SHARED = "Shared in this channel."
NO_TIPS = "There are no tips yet."
SHARE = "Share in channel"
HELPFUL, NOT_HELPFUL = "Helpful", "Not helpful"


def declined_nothing_text(c: CommandNames = SLASH) -> str:
    return f"I don't have a card for that yet. Try `{c.topics}` to browse every card."


def none_of_these_text(c: CommandNames = SLASH) -> str:
    """The reply to "None of these" (the ask log keeps the question for the trainers)."""
    return (
        "Noted: the trainers will see that question. Try other words, or "
        f"`{c.topics}` to browse every card."
    )


def card_gone_text(c: CommandNames = SLASH) -> str:
    return (
        f"That card is no longer in the knowledge base. Try `{c.topics}` to browse what is there."
    )


def command_text(typed: str, c: CommandNames = SLASH) -> str:
    command = limits.clip(typed, 40).replace("`", "'")
    return (
        f"`{command}` is not a command I can run from a message. Use the commands: `{c.ask}` "
        f"with your question, `{c.topics}` to browse every card, `{c.tip}`, `{c.help}`."
    )


# ---- building views -------------------------------------------------------------------------


def lines_within(lines: tuple[str, ...] | list[str], limit: int) -> tuple[str, ...]:
    """Whole lines while they fit (joined by newlines); a first line too long is clipped, and
    "…" marks lines left out."""
    kept: list[str] = []
    used = 0
    for line in lines:
        extra = len(line) + (1 if kept else 0)
        if used + extra > limit:
            if not kept:
                kept.append(limits.clip(line, limit))
            elif used + 2 <= limit:
                kept.append("…")
            break
        kept.append(line)
        used += extra
    return tuple(kept)


def card_sections(topic: Topic) -> tuple[CardSection, ...]:
    """Steps, Say and Avoid, in the order every adapter shows them (unclipped: `kb lint`
    measures the same lines, coachbot.knowledge.shown, against limits.CARD_SECTION)."""
    return (
        CardSection("Steps", step_lines(topic.steps)),
        CardSection("Say", say_lines(topic.say)),
        CardSection("Avoid", tuple(avoid_line(a.phrase, a.why) for a in topic.avoid)),
    )


def card_footer(topic: Topic) -> str:
    footer = f"Card: {topic.id}"
    if topic.sources:
        footer += " · Sources: " + ", ".join(topic.sources)
    return footer


def share_action(topic_id: str) -> Action:
    return Action(actions.share(topic_id), SHARE, Style.PRIMARY, emoji="📣")


def vote_action(topic_id: str, helpful: bool, token: str = "") -> Action:
    if helpful:  # a Helpful vote ends the search: it needs no token
        return Action(actions.vote(topic_id, True), HELPFUL, emoji="👍")
    return Action(actions.vote(topic_id, False, token), NOT_HELPFUL, emoji="👎")


def open_action(topic: Topic, token: str = "", *, text: str | None = None, row: int = 0) -> Action:
    """A button opening `topic`'s card, labelled with its title unless `text` is given."""
    return Action(actions.open_topic(topic.id, token), label(text or topic.title), row=row)


def choice_action(via: str, topic: Topic | None, token: str) -> Action:
    """A topic offered after a clarify or a decline; None is "None of these"."""
    if topic is None:
        return Action(actions.choose(via, None, token), NONE_OF_THESE, row=1)
    return Action(actions.choose(via, topic.id, token), label(topic.title), Style.PRIMARY)


def card_actions(
    topic: Topic, related: Mapping[str, Topic], *, shareable: bool, token: str = ""
) -> tuple[Action, ...]:
    """Share (private cards only), Helpful, Not helpful; then up to RELATED_SHOWN related
    topics. Not helpful and the related topics carry `token`, so that a related card opened
    after "Not helpful" is counted as what the agent was looking for."""
    buttons = [share_action(topic.id)] if shareable else []
    buttons += [vote_action(topic.id, True), vote_action(topic.id, False, token)]
    others = [related[r] for r in topic.related if r in related][:RELATED_SHOWN]
    buttons += [open_action(other, token, row=1) for other in others]
    return tuple(buttons)


def card_view(
    topic: Topic, related: Mapping[str, Topic], *, shareable: bool, token: str = ""
) -> CardView:
    return CardView(
        topic_id=topic.id,
        title=limits.clip(topic.title, limits.CARD_TITLE),
        summary=limits.clip(topic.summary, SUMMARY_CHARS),
        sections=tuple(
            CardSection(s.name, lines_within(s.lines, limits.CARD_SECTION))
            for s in card_sections(topic)
        ),
        tip=limits.clip(topic.tip, TIP_CHARS) if topic.tip else None,
        footer=limits.clip(card_footer(topic), FOOTER_CHARS),
        actions=card_actions(topic, related, shareable=shareable, token=token),
        token=token,
    )


def choices_view(result: AskResult, token: str = "", commands: CommandNames = SLASH) -> ChoicesView:
    """A clarify's or a decline's topics as buttons; a pick is counted under `token`."""
    if result.kind is AskKind.CLARIFY:
        buttons = [choice_action(VIA_CLARIFY, t, token) for t in result.alternatives]
        buttons.append(choice_action(VIA_CLARIFY, None, token))
        return ChoicesView(CLARIFY_TEXT, VIA_CLARIFY, tuple(buttons))
    closest = result.alternatives[:CHOICES_SHOWN]
    buttons = [choice_action(VIA_DECLINE, t, token) for t in closest]
    buttons.append(browse_action())
    text = DECLINED_TEXT if closest else declined_nothing_text(commands)
    return ChoicesView(text, VIA_DECLINE, tuple(buttons))


def reply_text(result: AskResult, commands: CommandNames = SLASH) -> str:
    """The line for a result that is neither a card nor choices."""
    match result.kind:
        case AskKind.HELP:
            return help_text(commands)
        case AskKind.TOO_LONG:
            return TOO_LONG_TEXT
        case AskKind.NOT_A_QUESTION:
            return NOT_A_QUESTION_TEXT
        case AskKind.COMMAND:
            return command_text(result.question, commands)
    return EMPTY_TEXT


def needs_token(result: AskResult) -> bool:
    """Whether the reply's buttons can record a pick: choices to pick from, or a card whose
    related topics may be opened after "Not helpful"."""
    if result.kind in (AskKind.CLARIFY, AskKind.DECLINED):
        return bool(result.alternatives)
    return result.kind is AskKind.CARD and bool(result.related)


def ask_view(
    result: AskResult, *, shareable: bool, token: str = "", commands: CommandNames = SLASH
) -> AskView:
    """Everything an adapter shows for an answer (see the module's docstring)."""
    if result.kind is AskKind.CARD and result.topic is not None:
        related = {topic.id: topic for topic in result.related}  # the answer's own version
        return card_view(result.topic, related, shareable=shareable, token=token)
    if result.kind in (AskKind.CLARIFY, AskKind.DECLINED):
        return choices_view(result, token, commands)
    return ReplyView(reply_text(result, commands))
