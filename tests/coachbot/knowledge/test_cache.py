"""The compiled knowledge cache only saves work: same knowledge, same answers, same problems."""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from coachbot.app import App
from coachbot.errors import KnowledgeError
from coachbot.knowledge import cache as cache_module
from coachbot.knowledge import loader
from coachbot.knowledge.index import Index
from coachbot.knowledge.live import LiveKnowledge

QUESTIONS = [
    "customer keeps screaming at me, what do i do",
    "caller wants his money back and we can't",
    "custmer demands to speek to a supervisr",
    "how do i handle a customer who posted a one star review",
    "what time is payroll this month",
    "asdf qwer zxcv",
    "",
]


def age(directory: Path, seconds: int = 600) -> None:
    """Date every file back, as a knowledge base nobody touched for a while would be."""
    then = time.time_ns() - seconds * 1_000_000_000
    for path in directory.rglob("*"):
        os.utime(path, ns=(then, then))


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("knowledge-*.zip"))


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Names of the topic files each load actually parsed (rather than took from the cache)."""
    names: list[str] = []
    real = loader.read_file

    def counting(path, *args, **kwargs):
        if path.parent.name == "topics":
            names.append(path.name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "read_file", counting)
    return names


def answers(live: LiveKnowledge) -> list:
    questions = QUESTIONS + [q for t in live.kb.topics for q in (t.title, *t.questions[:3])]
    return [live.matcher.match(q) for q in questions]


def same_index(a: Index, b: Index) -> bool:
    left, right = a.to_arrays(), b.to_arrays()
    return a.vocabulary == b.vocabulary and all(
        left[name].dtype == right[name].dtype and np.array_equal(left[name], right[name])
        for name in left
    )


def problems_of(directory: Path, cache_dir: Path | None = None) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        LiveKnowledge.load(directory, cache_dir=cache_dir)
    return caught.value.problems


def test_a_warm_start_gives_the_same_knowledge_and_answers(knowledge_copy, tmp_path, parsed):
    age(knowledge_copy)
    cold = LiveKnowledge.load(knowledge_copy)
    LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")  # writes the cache
    assert len(cache_files(tmp_path / "cache")) == 1
    parsed.clear()
    warm = LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")
    assert parsed == []  # nothing parsed again
    assert warm.kb == cold.kb
    assert [t.source_file for t in warm.kb.topics] == [t.source_file for t in cold.kb.topics]
    assert same_index(warm.matcher.index, cold.matcher.index)
    assert answers(warm) == answers(cold)


def test_an_unchanged_start_takes_the_index_from_the_cache(knowledge_copy, tmp_path, monkeypatch):
    age(knowledge_copy)
    LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")

    def no_build(*args, **kwargs):
        raise AssertionError("the index was built again")

    monkeypatch.setattr(Index, "build", no_build)
    monkeypatch.setattr(Index, "from_rows", no_build)
    LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")


def test_editing_one_file_reparses_only_that_file(knowledge_copy, tmp_path, parsed):
    age(knowledge_copy)
    LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")
    path = knowledge_copy / "topics" / "stay-calm.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "\nquestions:\n", "\nquestions:\n  - my parrot keeps squawking at callers\n", 1
        ),
        encoding="utf-8",
    )
    parsed.clear()
    live = LiveKnowledge.load(knowledge_copy, cache_dir=tmp_path / "cache")
    assert parsed == ["stay-calm.yaml"]
    assert "my parrot keeps squawking at callers" in live.kb.by_id["stay-calm"].questions
    assert live.matcher.match("my parrot keeps squawking at callers").topic_id == "stay-calm"
    assert live.kb == LiveKnowledge.load(knowledge_copy).kb
    assert answers(live) == answers(LiveKnowledge.load(knowledge_copy))


def test_a_broken_edit_is_reported_with_its_position_although_cached(knowledge_copy, tmp_path):
    age(knowledge_copy)
    cache_dir = tmp_path / "cache"
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    path = knowledge_copy / "topics" / "stay-calm.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsteps:", "\nsetps:", 1), encoding="utf-8")
    line = text[: text.index("\nsteps:")].count("\n") + 2
    problems = problems_of(knowledge_copy, cache_dir)
    assert any(
        p.endswith(
            f"stay-calm.yaml:{line}:1: unknown key 'setps' in a topic (did you mean 'steps'?)"
        )
        for p in problems
    ), problems
    assert problems == problems_of(knowledge_copy)  # exactly what a cold load reports
    age(knowledge_copy)  # even once it is old, a file that fails is never cached
    assert problems_of(knowledge_copy, cache_dir) == problems


def test_problems_across_files_are_found_from_cached_files(knowledge_copy, tmp_path):
    age(knowledge_copy)
    cache_dir = tmp_path / "cache"
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    (knowledge_copy / "topics" / "tone-of-voice.yaml").unlink()  # stay-calm relates to it
    problems = problems_of(knowledge_copy, cache_dir)
    assert any(
        "stay-calm.yaml:" in p and "unknown related topic 'tone-of-voice'" in p for p in problems
    )
    assert problems == problems_of(knowledge_copy)


def test_deleting_a_file_removes_its_topic(knowledge_copy, tmp_path):
    source = (knowledge_copy / "topics" / "stay-calm.yaml").read_text(encoding="utf-8")
    extra = knowledge_copy / "topics" / "zz-extra.yaml"
    text = source.replace("id: stay-calm", "id: zz-extra", 1)
    start, end = text.index("\nrelated:"), text.index("\n", text.index("\nrelated:") + 1)
    extra.write_text(text[:start] + "\nrelated: []" + text[end:], encoding="utf-8")
    age(knowledge_copy)
    cache_dir = tmp_path / "cache"
    assert "zz-extra" in LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir).kb.by_id
    extra.unlink()
    live = LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert "zz-extra" not in live.kb.by_id
    assert live.kb == LiveKnowledge.load(knowledge_copy).kb
    assert all(r.topic_id != "zz-extra" for a in answers(live) for r in a.ranked)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",
        lambda data: b"not a zip at all",
        lambda data: data[:100] + bytes(len(data) - 200) + data[-100:],  # zeroed middle
    ],
    ids=["truncated", "empty", "garbage", "zeroed"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(knowledge_copy, tmp_path, parsed, damage):
    age(knowledge_copy)
    cache_dir = tmp_path / "cache"
    cold = LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    (path,) = cache_files(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
    parsed.clear()
    live = LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert live.kb == cold.kb and answers(live) == answers(cold)
    assert len(parsed) == len(cold.kb.topics)  # all parsed again
    parsed.clear()
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert parsed == []  # and the cache was written again


def test_a_cache_from_other_code_or_writable_by_others_is_not_read(
    knowledge_copy, tmp_path, parsed, monkeypatch
):
    age(knowledge_copy)
    cache_dir = tmp_path / "cache"
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    (path,) = cache_files(cache_dir)
    assert path.stat().st_mode & 0o777 == 0o600
    path.chmod(0o666)
    parsed.clear()
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert parsed  # ignored, and written again with safe permissions
    assert path.stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    parsed.clear()
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert parsed


def test_files_changed_just_now_are_read_but_not_yet_cached(knowledge_copy, tmp_path, parsed):
    age(knowledge_copy)
    os.utime(knowledge_copy / "topics" / "stay-calm.yaml")  # touched a moment ago
    cache_dir = tmp_path / "cache"
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    parsed.clear()
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert parsed == ["stay-calm.yaml"]  # its mtime could still hide a same-size edit


def test_an_unwritable_cache_folder_still_loads(knowledge_copy, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    live = LiveKnowledge.load(knowledge_copy, cache_dir=blocker)
    assert live.kb == LiveKnowledge.load(knowledge_copy).kb


def test_malformed_records_in_a_sound_cache_file_are_ignored(knowledge_copy, tmp_path, parsed):
    age(knowledge_copy)
    cache_dir = tmp_path / "cache"
    cold = LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    (path,) = cache_files(cache_dir)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    files = json.loads(members["files.json"])
    names = sorted(files)
    files[names[0]] = [*files[names[0]][:2], "too short"]  # still keyed as unchanged
    files[names[1]] = {"not": "a record"}
    files[names[2]] = files[names[2]][:2] + [42] * (len(files[names[2]]) - 2)
    members["files.json"] = json.dumps(files).encode()
    meta = json.loads(members["meta.json"])
    meta["index"]["vocabulary"] = [1, 2, 3]
    members["meta.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    parsed.clear()
    live = LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)
    assert sorted(parsed) == names[:3]
    assert live.kb == cold.kb and answers(live) == answers(cold)


async def test_the_app_keeps_its_cache_in_the_data_folder(settings):
    app = await App.create(settings, in_memory=True)
    try:
        assert cache_files(settings.data_dir / "cache")
        assert app.knowledge.kb == LiveKnowledge.load(settings.knowledge_dir).kb
    finally:
        await app.close()


def test_a_new_data_folder_made_for_the_cache_is_private_to_its_owner(tmp_path, knowledge_copy):
    cache_dir = tmp_path / "data" / "cache"
    LiveKnowledge.load(knowledge_copy, cache_dir=cache_dir)

    assert cache_dir.parent.stat().st_mode & 0o777 == 0o700
    assert cache_dir.stat().st_mode & 0o777 == 0o700
