"""One consistent version of the knowledge: the topics and the matcher built from them.

Adapters read `App.knowledge` once per request, so a reload (which swaps the whole object)
can never hand a request half of one version and half of another.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachbot.knowledge.fast.bulkload import BulkReader
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
        # parses what the cache does not hold, on every core for a big knowledge base, and
        # analyses it for the index on the way (see fast/bulkload.py)
        with BulkReader(directory) as reader, paused_gc():
            if cache_dir is None:
                reader.start()  # a cold start parses every file: let the workers boot
                kb = read_knowledge(directory, parse=reader).kb
                return cls(kb=kb, matcher=Matcher(kb, index=reader.index(kb)), directory=directory)
            from coachbot.knowledge.cache import KnowledgeCache  # only when used

            cache = KnowledgeCache(cache_dir, directory)
            try:
                loaded = read_knowledge(directory, cache, parse=reader)
                key = cache.index_key(loaded)
                owners = len(loaded.kb.topics) + 1
                index = cache.index(key, owners) or reader.index(loaded.kb)
                matcher = Matcher(loaded.kb, index=index)
                cache.save(loaded, key, matcher.index)
            finally:
                cache.close()
            return cls(kb=loaded.kb, matcher=matcher, directory=directory)
