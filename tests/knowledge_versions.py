"""Small knowledge bases written to a folder, in versions a test can tell apart.

Version "A" and version "B" share three topics and each has one of its own. Every card of a
version says so in its summary ("Version A.") and title ("[A]"), and links to the version's
own topic, so an answer that mixed two versions would show it. "broken" is version A with a
YAML syntax error and a missing key in two files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/topic.schema.json\n"

# topic id -> (title, the words agents use for it)
TOPICS = {
    "refund-request": ("Customer wants a refund", ("refund", "money back", "reimburse")),
    "late-delivery": ("Parcel is late", ("parcel", "delivery", "courier")),
    "angry-caller": ("Caller is shouting", ("shouting", "yelling", "screaming")),
    "billing-error": ("Wrong amount on the bill", ("invoice", "overcharged", "bill")),
    "cancel-plan": ("Customer wants to cancel", ("cancel", "contract", "subscription")),
}
SHARED = ("refund-request", "late-delivery", "angry-caller")
VERSIONS = {"A": (*SHARED, "billing-error"), "B": (*SHARED, "cancel-plan")}

QUESTION_FORMS = (
    "customer asking about {0}",
    "how do i handle {0}",
    "what to say when {0} comes up",
    "caller upset about {1}",
    "help with {1} on the phone",
    "{2} question from a customer",
    "chat about {2} going badly",
    "customer keeps on about {0} and {2}",
    "{1} again, what now",
)


def question(topic_id: str, n: int = 0) -> str:
    """One of the topic's own example questions (so it is answered by that topic)."""
    return QUESTION_FORMS[n % len(QUESTION_FORMS)].format(*TOPICS[topic_id][1])


def topic_doc(topic_id: str, version: str, **extra: object) -> dict:
    title, _ = TOPICS[topic_id]
    own = VERSIONS.get(version, VERSIONS["A"])[-1]  # the topic only this version has
    doc = {
        "id": topic_id,
        "title": f"{title} [{version}]",
        "tags": ["test"],
        "questions": [question(topic_id, n) for n in range(len(QUESTION_FORMS))],
        "summary": f"Version {version}. What to do when: {title.lower()}.",
        "steps": [
            f"Listen ({version}).",
            f"Explain ({version}).",
            f"Agree a next step ({version}).",
        ],
        "say": [f"I can help with that ({version}).", f"Here is what happens next ({version})."],
        "avoid": [{"phrase": "That's not my job.", "why": "It pushes the customer away."}],
        "related": [own if topic_id != own else SHARED[0]],
        "sources": ["test"],
    }
    doc.update(extra)
    return doc


def quiz_doc(topic_id: str, version: str) -> dict:
    return {
        "topic": topic_id,
        "items": [
            {
                "id": f"{topic_id}-1",
                "prompt": f"What comes first ({version})?",
                "choices": [{"text": "Listen", "correct": True}, {"text": "Argue"}],
                "explain": "Listening first calms the call.",
            }
        ],
    }


def write_yaml(path: Path, doc: dict, *, schema: bool = False) -> None:
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    path.write_text((SCHEMA_LINE if schema else "") + text, encoding="utf-8")


def write_version(directory: Path, version: str) -> None:
    """Make `directory` hold exactly version "A", "B" or "broken"."""
    topics, quizzes = directory / "topics", directory / "quizzes"
    for folder in (topics, quizzes):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    base = "A" if version == "broken" else version
    for topic_id in VERSIONS[base]:
        write_yaml(topics / f"{topic_id}.yaml", topic_doc(topic_id, base), schema=True)
        write_yaml(quizzes / f"{topic_id}.yaml", quiz_doc(topic_id, base))
    if version == "broken":
        (topics / "late-delivery.yaml").write_text("id: late-delivery\ntitle: [unclosed\n")
        doc = topic_doc("angry-caller", base)
        del doc["steps"]
        write_yaml(topics / "angry-caller.yaml", doc)


def version_of(summary: str) -> str:
    return summary.split(".", 1)[0].removeprefix("Version ")
