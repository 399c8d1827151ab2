"""One consistent version of the knowledge: the topics and the matcher built from them.

Adapters read `App.knowledge` once per request, so a reload (which swaps the whole object)
can never hand a request half of one version and half of another.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachbot.knowledge.index import paused_gc
from coachbot.knowledge.loader import read_knowledge
from coachbot.knowledge.matcher import Matcher
from coachbot.knowledge.models import KnowledgeBase


@dataclass(frozen=True)
class LiveKnowledge:
    kb: KnowledgeBase
    matcher: Matcher
    directory: Path

    @classmethod
    def load(cls, directory: Path, *, cache_dir: Path | None = None) -> LiveKnowledge:
        """Load and validate `directory`; with `cache_dir`, through the compiled cache there.

        The cache only saves work: the result, and every problem reported, are the same.
        """
        directory = Path(directory)
        with paused_gc():
            if cache_dir is None:
                kb = read_knowledge(directory).kb
                return cls(kb=kb, matcher=Matcher(kb), directory=directory)
            from coachbot.knowledge.cache import KnowledgeCache  # only when used

            cache = KnowledgeCache(cache_dir, directory)
            try:
                loaded = read_knowledge(directory, cache)
                key = cache.index_key(loaded)
                owners = len(loaded.kb.topics) + 1
                matcher = Matcher(loaded.kb, index=cache.index(key, owners))
                cache.save(loaded, key, matcher.index)
            finally:
                cache.close()
            return cls(kb=loaded.kb, matcher=matcher, directory=directory)
