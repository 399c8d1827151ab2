"""A throwaway PostgreSQL server for the store tests: initdb + pg_ctl into a temporary folder,
on a free port, stopped at the end of the session (one per xdist worker).

`initdb` refuses to run as root, so as root the server runs as the `postgres` user (Debian's
package creates it) in a folder that user owns. Where no server binaries are found the tests
that need one are skipped with `SKIP_REASON` saying how to enable them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HOW_TO_ENABLE = (
    "install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; .ci/run does it)"
    " or point COACHBOT_TEST_PG_BIN at the folder holding initdb and pg_ctl"
)


def find_bin() -> Path | None:
    """The folder with initdb and pg_ctl: COACHBOT_TEST_PG_BIN, PATH, or Debian's layout."""
    chosen = os.environ.get("COACHBOT_TEST_PG_BIN", "")
    if chosen:  # only that folder (a wrong one skips the tests, saying so)
        found = all((Path(chosen) / tool).is_file() for tool in ("initdb", "pg_ctl"))
        return Path(chosen) if found else None
    candidates = []
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(os.path.realpath(initdb)).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)  # newest first
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def unavailable() -> str | None:
    """Why no server can be started here (None: it can)."""
    if find_bin() is None:
        return f"PostgreSQL server binaries not found: {HOW_TO_ENABLE}"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run initdb as: " + HOW_TO_ENABLE
    return None


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str = "postgres"

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def running() -> Iterator[Server]:
    """Start a server for the length of the block; everything it wrote is removed after."""
    binaries = find_bin()
    assert binaries is not None, unavailable()
    folder = Path(tempfile.mkdtemp(prefix="coachbot-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data, log = folder / "data", folder / "server.log"
    port = _free_port()
    subprocess.run(
        _as_owner(
            [
                *(str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"),
                *("-E", "UTF8", "--no-locale", "--no-sync"),
            ]
        ),
        check=True,
        capture_output=True,
        cwd=folder,
    )
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    pg_ctl = str(binaries / "pg_ctl")
    subprocess.run(
        _as_owner([pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
        check=True,
        capture_output=True,
        cwd=folder,
    )
    try:
        yield Server("127.0.0.1", port)
    finally:
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            cwd=folder,
        )
        shutil.rmtree(folder, ignore_errors=True)


def psql(server: Server, sql: str) -> None:
    """One statement as the superuser on the `postgres` database (CREATE/DROP DATABASE)."""
    binaries = find_bin()
    assert binaries is not None
    command = [str(binaries / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    subprocess.run(
        [*command, server.url("postgres"), "-c", sql],
        check=True,
        capture_output=True,
    )
