"""One consistent version of the knowledge: the topics and the matcher built from them.

Adapters read `App.knowledge` once per request, so a reload (which swaps the whole object)
can never hand a request half of one version and half of another.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coachbot.knowledge.loader import load_knowledge
from coachbot.knowledge.matcher import Matcher
from coachbot.knowledge.models import KnowledgeBase


@dataclass(frozen=True)
class LiveKnowledge:
    kb: KnowledgeBase
    matcher: Matcher
    directory: Path

    @classmethod
    def load(cls, directory: Path) -> LiveKnowledge:
        kb = load_knowledge(directory)
        return cls(kb=kb, matcher=Matcher(kb), directory=Path(directory))
