"""The knowledge base: trainer-edited YAML topics, their validation and the matcher."""

from coachbot.knowledge.loader import load_knowledge
from coachbot.knowledge.models import AvoidPhrase, KnowledgeBase, SynonymGroup, Topic

__all__ = ["AvoidPhrase", "KnowledgeBase", "SynonymGroup", "Topic", "load_knowledge"]
