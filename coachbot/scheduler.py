"""The ticks that post quizzes and debrief digests, the same on every platform.

An adapter runs `Scheduler.tick_quizzes` and `tick_digests` from its own timer and hands in a
`Poster` that knows how to draw and send on its platform. The rules live here:

- quizzes: each due post is claimed once in the store, then posted; a post that cannot be
  delivered (the channel is gone, no permission, or Discord/Slack failed) keeps its claim and
  loses its items, so it is never posted twice; closed windows are edited to show the results.
- digests: the debriefs count as shared only once a message carrying them was accepted. If the
  channel is unreachable, the debriefs keep waiting and the day's claim stays (the next try is
  tomorrow, after a trainer had time to fix it); a transient failure before the first message
  gives the claim back, so the next tick retries.

A poster tells the two failures apart by raising `Unreachable` or `Transient`; anything else is
a bug, logged with its traceback, and the next post goes on.
"""

from __future__ import annotations

import logging
from typing import Protocol

from coachbot.debrief.service import DebriefService, Digest
from coachbot.quiz.service import OpenQuiz, QuizService
from coachbot.views.debrief import DigestPage, digest_pages
from coachbot.views.quiz import ClosedQuizPost, QuizPost, closed_post, quiz_post

log = logging.getLogger(__name__)


class PostFailed(Exception):
    """A post did not go out. The message is for logs (status codes, no user text)."""


class Unreachable(PostFailed):
    """The channel is gone or the bot may not post there: retrying soon will not help."""


class Transient(PostFailed):
    """The platform failed for now (network, time-out, server error): the next tick retries."""


class Poster(Protocol):
    """What a platform does for the scheduler. Each method returns once the platform accepted
    the message, or raises Unreachable or Transient."""

    digest_page_size: int  # debriefs per message (Discord: 10 embeds)

    def owns(self, guild_id: str) -> bool:
        """True for the teams of this platform: the others' schedules are not this poster's."""
        ...

    async def post_quiz(self, post: QuizPost) -> str:
        """Post the quiz; return the message id the result will be edited into."""
        ...

    async def close_quiz(self, closed: ClosedQuizPost) -> None:
        """Replace the posted quiz by its results, without its buttons."""
        ...

    async def post_digest(self, page: DigestPage) -> str:
        """Post one page of a digest; return its message id."""
        ...


class Scheduler:
    """Posts due quizzes and digests through one platform's poster."""

    def __init__(
        self,
        poster: Poster,
        quiz: QuizService,
        debriefs: DebriefService,
    ) -> None:
        self._poster = poster
        self._quiz = quiz
        self._debriefs = debriefs

    # ---- quizzes --------------------------------------------------------------------------

    async def tick_quizzes(self) -> None:
        """Post what is due, then close what has ended. Safe to run from several processes."""
        service = self._quiz
        for quiz in await service.due_quizzes(owns=self._poster.owns):
            try:
                await self.post_quiz(quiz)
            except Exception:  # a bug in one post must not cost the other claimed quizzes
                log.exception("posting quiz %s failed", quiz.post_id)
        for closed in await service.closing(owns=self._poster.owns):
            if closed.post.message_id is None:
                continue
            try:
                await self._poster.close_quiz(closed_post(closed))
            except PostFailed as problem:
                log.warning("could not close quiz %s: %s", closed.post.id, problem)
            except Exception:
                log.exception("closing quiz %s failed", closed.post.id)

    async def post_quiz(self, quiz: OpenQuiz) -> bool:
        """Post one claimed quiz (due, or a trainer's `quiz now`); False if it did not go out."""
        service = self._quiz
        if not quiz.items:
            await service.not_posted(quiz)
            return False
        try:
            message_id = await self._poster.post_quiz(quiz_post(quiz))
        except PostFailed as problem:
            log.warning("could not post quiz %s in %s: %s", quiz.post_id, quiz.channel_id, problem)
            await service.not_posted(quiz)
            return False
        await service.posted(quiz, message_id)
        return True

    # ---- digests --------------------------------------------------------------------------

    async def tick_digests(self) -> None:
        service = self._debriefs
        for digest in await service.due_digests(owns=self._poster.owns):
            try:
                await self._post_digest(service, digest)
            except Exception:  # a bug: the claim stays, nothing is shared twice
                log.exception("posting the debrief digest of %s failed", digest.channel.guild_id)

    async def _post_digest(self, service: DebriefService, digest: Digest) -> None:
        """Post a digest page by page; each page's debriefs count as shared once it went out."""
        guild = digest.channel.guild_id
        sent = 0
        try:
            for page, debriefs in digest_pages(digest, self._poster.digest_page_size):
                message_id = await self._poster.post_digest(page)
                sent += 1
                await service.mark_posted(digest, message_id, debriefs)
        except Unreachable as problem:
            log.warning(
                "cannot post the debrief digest of guild %s (%s); "
                "its debriefs keep waiting until tomorrow",
                guild,
                problem,
            )
        except Transient as problem:
            log.warning(
                "posting the debrief digest of guild %s failed (%s); retrying at the next tick",
                guild,
                problem,
            )
            if not sent:
                await service.release(digest)
