"""The names of a server's people that an adapter has seen, for the scrubber's `known_names`.

A chat platform may not hand the bot its member list (Discord sends it only with the privileged
members intent), but every command, click and message carries its author's names. Remembering
them covers the teammates who use the bot; memory only, bounded per server, lost on restart.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

PER_SERVER = 5000  # people remembered per server; the least recently seen go first


class Teammates:
    """Display names seen per server, the most recently seen kept when the bound is reached."""

    def __init__(self, per_server: int = PER_SERVER) -> None:
        self._per_server = per_server
        self._seen: dict[str, OrderedDict[str, tuple[str, ...]]] = {}

    def saw(self, server_id: str, person_id: str, names: Iterable[str | None]) -> None:
        """Someone in `server_id` acted or was mentioned: remember their names."""
        kept = tuple(dict.fromkeys(n for n in names if n))
        if not kept:
            return
        people = self._seen.setdefault(server_id, OrderedDict())
        people[person_id] = kept
        people.move_to_end(person_id)
        while len(people) > self._per_server:
            people.popitem(last=False)

    def names(self, server_id: str) -> list[str]:
        """Every name remembered for the server, oldest first."""
        people = self._seen.get(server_id, {})
        return [name for names in people.values() for name in names]
