"""Messages that are not questions: acknowledgements, commands typed in the wrong place, and
single words that name no topic.

Why: the matcher ranks any words it knows, so "no" opens the saying-no card at 0.99 and
"caller" a card at 1.0. A card for a message that asks nothing looks wrong to an agent. The
rule, in order (see `classify`):

1. A command typed where a question goes (`/ask`, `!help`, `clear`, `exit`, `topics`) is a
   command. A leading `/word` or `!word` before real words is dropped and the rest is asked.
2. A message made only of filler (acknowledgements such as ok, yes, no, thanks, test,
   question; function words; numbers) asks nothing.
3. A short message (at most LONE_WORD_MESSAGE words) with a single content word asks
   nothing unless that word names a topic: it is
   a topic keyword (a word of a topic's title or tags, or a synonym trainers listed in
   synonyms.yaml, after stemming, synonym folding and typo repair: "refund", "abusive",
   "escalate"), or a word no topic uses at all, which the matcher declines and logs for
   the trainers' gap report as before ("lawyer", "payroll").
"""

from __future__ import annotations

import re
from enum import StrEnum

from coachbot.knowledge.matcher import Matcher
from coachbot.knowledge.text import STOPWORDS, words

# Acknowledgements, answers and chat noise: on their own they ask nothing.
ACKNOWLEDGEMENTS = frozenset(
    """ok okay okey k kk alright allright sure fine yes yeah yea yep yup yass ya no nope nah
    na nay thanks thank thx ty tysm cheers np cool great nice good perfect awesome brilliant
    lovely amazing wow oh ah aha hmm hm hmmm mm mmm umm erm huh eh lol lmao haha hahaha hehe
    xd test testing tested tests question questions query quick asdf qwerty got noted
    understood gotcha right done""".split()
)
# Words that are commands in some chat or terminal; alone, they are not questions.
COMMANDS = frozenset(
    """clear cls exit quit q stop restart reset topics topic list quiz stats debrief reload
    back undo settings config ping version""".split()
)
FILLER = ACKNOWLEDGEMENTS | STOPWORDS
# Rule 3 reads messages up to this long: a longer one is a sentence, and the matcher reads
# its small words too ("he will not stop talking over me").
LONE_WORD_MESSAGE = 3
_PREFIXED = re.compile(r"^[/!][^\W\d_][\w-]*(?=\s|$)")  # /ask, !help, /topics


class NonQuestion(StrEnum):
    COMMAND = "command"  # a command typed where a question goes
    NOT_A_QUESTION = "not_a_question"  # filler, or a single word that names no topic


def without_command(text: str) -> str:
    """`text` without a leading `/word` or `!word` (`/ask customer yelling` asks the rest)."""
    return _PREFIXED.sub("", text, count=1).strip()


def classify(text: str, matcher: Matcher) -> NonQuestion | None:
    """What kind of non-question `text` is, or None for a question the matcher should rank.

    `text` is printable and whitespace-normalised; `small talk` (greetings, "help") is the
    ask service's own, earlier check.
    """
    if _PREFIXED.match(text) and not without_command(text):
        return NonQuestion.COMMAND
    found = words(text)
    if len(found) == 1 and found[0] in COMMANDS:
        return NonQuestion.COMMAND
    content = [w for w in found if w not in FILLER and not w.isdigit()]
    if not content:
        return NonQuestion.NOT_A_QUESTION
    short = len(found) <= LONE_WORD_MESSAGE
    if short and len(content) == 1 and not _names_a_topic(content[0], matcher):
        return NonQuestion.NOT_A_QUESTION
    return None


def _names_a_topic(word: str, matcher: Matcher) -> bool:
    """A topic keyword, or a word no topic uses: the matcher declines that and logs the gap."""
    terms = matcher.query_terms(word)  # stemmed, synonyms folded, typos repaired
    if not terms:
        return False
    return any(t in matcher.topic_keywords or not matcher.topics_use(t) for t in terms)
