"""The compiled knowledge cache: like .pyc files, a restart skips YAML, validation and indexing.

One file per knowledge directory under `<data dir>/cache` holds each valid topic file as it
was read, keyed by its name, size and mtime_ns, and the matcher's index, keyed by a hash of
everything it was built from. Both carry a hash of this package's code, so a code change
makes the cache stale, never wrong. A stale, foreign or damaged cache is ignored (logged at
debug) and rebuilt.

Why a zip of JSON and .npy arrays (read with allow_pickle=False) rather than a pickle:
loading the cache can never run code, whoever wrote it. It is written with
mode 0600 in a 0700 folder and only read if this user owns it and nobody else can write it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import snowballstemmer
import yaml

from coachbot.knowledge.index import ARRAY_NAMES, Index
from coachbot.knowledge.loader import Loaded, TopicFile
from coachbot.knowledge.models import AvoidPhrase, ReviewInterval, Topic

log = logging.getLogger(__name__)

FORMAT = 2
# A file changed within this long before a load may change again without its mtime moving
# (coarse file-system clocks); such files are read but not cached until they are older.
RACY_NS = 2_000_000_000
_CODE_MODULES = ("cache", "fields", "index", "loader", "matcher", "models", "text")
_CODE_MODULES += ("validator", "yamlsource", "fast/bulkload", "fast/read", "fast/terms")


@functools.cache
def code_version() -> str:
    """A hash of the code that reads, validates and indexes knowledge, and what it runs on."""
    digest = hashlib.blake2b(digest_size=16)
    for name in _CODE_MODULES:
        try:
            digest.update((Path(__file__).parent / f"{name}.py").read_bytes())
        except OSError:  # no sources to hash (a frozen build): never trust a cache
            digest.update(os.urandom(16))
    versions = (FORMAT, sys.version, unicodedata.unidata_version, np.__version__)
    versions += (yaml.__version__, getattr(snowballstemmer, "__version__", ""))
    digest.update(repr(versions).encode())
    return digest.hexdigest()


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def topic_digest(topic: Topic) -> str:
    """A hash of the fields of one topic that the index is built from."""
    t = topic
    return _digest([t.title, t.questions, t.tags, t.summary, t.steps, t.say, t.tip])


class KnowledgeCache:
    """The cache file of one knowledge directory; read once, lazily, and written whole."""

    def __init__(self, cache_dir: Path, knowledge_dir: Path) -> None:
        self.cache_dir = Path(cache_dir)
        self.directory = str(Path(knowledge_dir).resolve())
        name = hashlib.blake2b(self.directory.encode("utf-8", "surrogatepass"), digest_size=8)
        self.path = self.cache_dir / f"knowledge-{name.hexdigest()}.zip"
        self._read = False
        self._files: dict[str, list] = {}  # file name -> stored record
        self._index: dict | None = None
        self._archive: zipfile.ZipFile | None = None
        self._handle: BinaryIO | None = None
        self.used: set[str] = set()  # files taken from the cache on this load
        self._digests: dict[str, str] = {}  # file name -> topic_digest, once index_key ran

    def topic_file(self, name: str, size: int, mtime_ns: int, shown: str) -> TopicFile | None:
        """The cached topic file if `name` is stored with this size and mtime, else None."""
        self._ensure_read()
        record = self._files.get(name)
        try:
            if record is None or record[:2] != [size, mtime_ns]:
                return None
            entry = _topic_file(name, record, shown)
        except (TypeError, ValueError, IndexError, KeyError) as exc:
            log.debug("ignoring the cached %s: %s", name, exc)
            return None
        self.used.add(name)
        return entry

    def index_key(self, loaded: Loaded) -> str:
        """A hash of everything the index is built from, in order, and of the code.

        Per topic a hash of its content, kept in the cache for files taken from it, so a
        warm start hashes no topic text.
        """
        digests = []
        for entry in loaded.files:
            record = self._files[entry.name] if entry.name in self.used else None
            digest = record[-1] if record else topic_digest(entry.topic)
            self._digests[entry.name] = digest
            digests.append(digest)
        kb = loaded.kb
        return _digest([code_version(), digests, [g.terms for g in kb.synonyms], kb.out_of_scope])

    def index(self, key: str, owner_count: int) -> Index | None:
        """The cached index if it was built from exactly this content, else None."""
        self._ensure_read()
        if self._archive is None or self._index is None or self._index.get("key") != key:
            return None
        try:
            arrays = {}
            for name in ARRAY_NAMES:
                with self._archive.open(f"index/{name}.npy") as member:
                    arrays[name] = np.lib.format.read_array(member, allow_pickle=False)
            return Index.from_arrays(_texts(self._index["vocabulary"]), arrays, owner_count)
        except (KeyError, TypeError, ValueError, OSError, zipfile.BadZipFile) as exc:
            log.debug("ignoring the cached index of %s: %s", self.directory, exc)
            return None

    def save(self, loaded: Loaded, key: str, index: Index) -> None:
        """Store what this load read (never a file changed just before it) and its index."""
        self._ensure_read()
        fresh = [
            entry
            for entry in loaded.files
            if entry.name in self.used or entry.mtime_ns < loaded.started_ns - RACY_NS
        ]
        names = {entry.name for entry in fresh}
        if names == set(self._files) == self.used and (self._index or {}).get("key") == key:
            return  # nothing new to store
        self.close()
        try:
            if not self.cache_dir.parent.exists():  # a new data folder: owner only
                self.cache_dir.parent.mkdir(mode=0o700, parents=True)
            self.cache_dir.mkdir(mode=0o700, exist_ok=True)
            _remove_abandoned(self.cache_dir)
            handle, temporary = tempfile.mkstemp(dir=self.cache_dir, prefix=".knowledge-")
            try:
                with os.fdopen(handle, "wb") as out:
                    self._write(out, fresh, key, index)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError as exc:
            log.debug("could not write the knowledge cache %s: %s", self.path, exc)

    def _write(self, out: BinaryIO, files: list[TopicFile], key: str, index: Index) -> None:
        """A zip of meta.json, files.json (written a file at a time) and the index arrays."""
        meta = {
            "format": FORMAT,
            "code": code_version(),
            "directory": self.directory,
            "index": {"key": key, "vocabulary": index.vocabulary},
        }
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            archive.writestr("meta.json", _json(meta))
            with archive.open("files.json", "w", force_zip64=True) as member:
                separator = b"{"
                for entry in files:
                    record = self._files.get(entry.name) if entry.name in self.used else None
                    member.write(separator + _json(entry.name) + b":")
                    digest = self._digests.get(entry.name) or topic_digest(entry.topic)
                    member.write(_json(record or _record(entry, digest)))
                    separator = b","
                member.write(b"}" if files else b"{}")
            for name, values in index.to_arrays().items():
                with archive.open(f"index/{name}.npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, values, allow_pickle=False)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _ensure_read(self) -> None:
        if self._read:
            return
        self._read = True
        try:
            self._open()
        except Exception as exc:  # any damage at all means: no cache
            log.debug("ignoring the knowledge cache %s: %s", self.path, exc)
            self.close()
            self._files, self._index = {}, None

    def _open(self) -> None:
        try:  # never through a symbolic link
            self._handle = open(self.path, "rb", opener=_no_follow)  # noqa: SIM115 - kept open
        except FileNotFoundError:
            return
        info = os.fstat(self._handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o022:
            raise ValueError("not a regular file, or writable by others")
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            raise ValueError("owned by another user")
        self._archive = zipfile.ZipFile(self._handle)
        meta = _unjson(self._archive.read("meta.json"))
        if (meta.get("format"), meta.get("code")) != (FORMAT, code_version()):
            raise ValueError("written by another version")
        if meta.get("directory") != self.directory:
            raise ValueError("written for another knowledge directory")
        files = _unjson(self._archive.read("files.json"))
        if not isinstance(files, dict) or not isinstance(meta.get("index"), dict):
            raise ValueError("malformed")
        self._files, self._index = files, meta["index"]


def _remove_abandoned(cache_dir: Path) -> None:
    """Temporary files of writes that never finished (the process was killed)."""
    for path in cache_dir.glob(".knowledge-*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < time.time() - 3600:
                path.unlink()


def _json(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _unjson(data: bytes) -> Any:
    return json.loads(data.decode("utf-8", "surrogatepass"))


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def _record(entry: TopicFile, digest: str) -> list:
    t = entry.topic
    avoid = [[a.phrase, a.why] for a in t.avoid]
    fields = [t.id, t.title, t.tags, t.questions, t.summary, t.steps, t.say, avoid]
    reviewed = t.reviewed.isoformat() if t.reviewed else None
    fresh = [t.owner, reviewed, str(t.review_every) if t.review_every else None]
    rest = [t.related, t.sources, t.tip, fresh, entry.related, digest]
    return [entry.size, entry.mtime_ns, *fields, *rest]


def _topic_file(name: str, record: list, shown: str) -> TopicFile:
    """A stored record back as a TopicFile; TypeError/ValueError if it is not well formed."""
    size, mtime_ns, topic_id, title, tags, questions, summary, steps, say, avoid = record[:10]
    related, sources, tip, (owner, reviewed, every), positions, digest = record[10:]
    if not all(type(v) is str for v in (topic_id, title, summary, tip or "", digest)):
        raise TypeError("expected text")
    if not all(type(v) is str for v in (owner or "", reviewed or "", every or "")):
        raise TypeError("expected text")
    topic = Topic(
        id=topic_id,
        title=title,
        tags=_texts(tags),
        questions=_texts(questions),
        summary=summary,
        steps=_texts(steps),
        say=_texts(say),
        avoid=tuple(AvoidPhrase(*_texts(pair)) for pair in avoid),
        related=_texts(related),
        sources=_texts(sources),
        tip=tip,
        source_file=shown,
        owner=owner,
        reviewed=date.fromisoformat(reviewed) if reviewed else None,
        review_every=ReviewInterval(int(every[:-1]), every[-1]) if every else None,
    )
    places = tuple((n, int(line), int(column)) for n, line, column in positions)
    _texts([n for n, _, _ in places])
    return TopicFile(name, size, mtime_ns, topic, places)


def _texts(values: object) -> tuple[str, ...]:
    """A stored list of text, checked (a record is only ever used whole and well formed)."""
    if type(values) is not list or not all(type(v) is str for v in values):
        raise TypeError("expected a list of text")
    return tuple(values)
