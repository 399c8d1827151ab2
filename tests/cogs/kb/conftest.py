"""A bot on a knowledge folder of its own (version A to start), which the tests rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachbot.knowledge.live import LiveKnowledge
from coachbot.settings import Settings
from tests.knowledge_versions import write_version


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "knowledge"
    write_version(directory, "A")
    return directory


@pytest.fixture
def settings(tmp_path: Path, knowledge_dir: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge_dir)


@pytest.fixture
def live_knowledge(knowledge_dir: Path) -> LiveKnowledge:
    return LiveKnowledge.load(knowledge_dir)
