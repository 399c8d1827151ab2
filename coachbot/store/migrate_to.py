"""`coachbot db migrate-to postgresql://...`: copy the SQLite database into PostgreSQL.

Every table is copied in one PostgreSQL transaction (a failure leaves the target as it was),
parents before children (foreign keys), rows in their SQLite order, ids kept (so the identity
counters are moved past them); the install salt comes along, so deletion codes and vote keys
made on SQLite still work. Then each table is verified: the same number of rows and the same
rows (a digest of both sides). The target must be empty: nothing is merged or overwritten.
Stop the bot first: rows written during the copy would be left behind.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from coachbot.errors import CoachError
from coachbot.settings import Settings
from coachbot.store.database import Database, SQLiteDatabase
from coachbot.store.dialect import POSTGRESQL, dialect_of


@dataclass(frozen=True)
class CopiedTable:
    name: str
    rows: int
    verified: bool


def _identifier(name: str) -> str:
    """A table or column name as a quoted SQL identifier (names come from the schema)."""
    return '"' + name.replace('"', '""') + '"'


def _identifiers(names: list[str]) -> str:
    """Column names as a quoted, comma-separated list."""
    return ", ".join(_identifier(name) for name in names)


async def _tables(source: SQLiteDatabase) -> list[str]:
    """The source's tables, every table after the tables its foreign keys point to."""
    names = [
        row[0]
        for row in await source.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    parents = {
        name: {
            row[0]
            for row in await source.fetch('SELECT "table" FROM pragma_foreign_key_list(?)', (name,))
        }
        - {name}
        for name in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:
            raise CoachError("The database's foreign keys form a cycle: it cannot be copied.")
        ordered += ready
    return ordered


async def _columns(database: Database, table: str) -> list[str]:
    if database.dialect == POSTGRESQL:
        rows = await database.fetch(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?"
            " AND is_generated = 'NEVER' AND COALESCE(identity_generation, '') <> 'ALWAYS'"
            " ORDER BY ordinal_position",
            (table,),
        )
    else:
        rows = await database.fetch("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))
    return [row[0] for row in rows]


def _digest(rows: list[tuple]) -> str:
    """The same rows in any order give the same digest."""
    digest = hashlib.sha256()
    for line in sorted(repr(tuple(row)) for row in rows):
        digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


async def copy_database(source: SQLiteDatabase, target: Database) -> list[CopiedTable]:
    """Copy every table of `source` into the empty `target` (PostgreSQL) and verify it."""
    from coachbot.store.postgres import PostgresDatabase  # asyncpg only here

    if not isinstance(target, PostgresDatabase):
        raise CoachError("migrate-to copies into PostgreSQL: give a postgresql:// URL.")
    tables = await _tables(source)
    plan: dict[str, list[str]] = {}
    for table in tables:
        theirs = set(await _columns(target, table))
        if not theirs:
            raise CoachError(f"The PostgreSQL database has no table {table}: is it CoachBot's?")
        plan[table] = [c for c in await _columns(source, table) if c in theirs]
        if table != "meta" and (await target.fetch(f"SELECT 1 FROM {_identifier(table)} LIMIT 1")):
            raise CoachError(
                f"The PostgreSQL database already holds {table} rows: migrate-to copies into an"
                " empty database only (create a new one, or drop this one's tables)."
            )
    without_rowid = {
        row[0]
        for row in await source.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%'"
        )
    }
    async with target.pool.acquire() as connection, connection.transaction():
        await connection.execute("DELETE FROM meta")  # the new install's salt gives way
        for table in tables:
            columns = plan[table]
            # SQLite's row order (ids, the answers' arrival) where it has one
            order = columns if table in without_rowid else ["rowid"]
            rows = await source.fetch(
                f"SELECT {_identifiers(columns)} FROM {_identifier(table)}"
                f" ORDER BY {_identifiers(order)}"
            )
            if rows:
                await connection.copy_records_to_table(table, records=rows, columns=columns)
        for table, column in await connection.fetch(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND identity_generation = 'BY DEFAULT'"
        ):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence($1, $2),"
                f" COALESCE((SELECT MAX({_identifier(column)}) FROM {_identifier(table)}), 0) + 1,"
                " false)",
                table,
                column,
            )
    copied = []
    for table in tables:
        mine = await source.fetch(f"SELECT {_identifiers(plan[table])} FROM {_identifier(table)}")
        theirs = await target.fetch(f"SELECT {_identifiers(plan[table])} FROM {_identifier(table)}")
        verified = len(mine) == len(theirs) and _digest(mine) == _digest(theirs)
        copied.append(CopiedTable(table, len(theirs), verified))
    return copied


async def migrate_to(path: Path, url: str) -> list[CopiedTable]:
    if dialect_of(url) != POSTGRESQL:
        raise CoachError("migrate-to needs a postgresql:// URL.")
    if not Path(path).is_file():
        raise CoachError(f"There is no SQLite database at {path} to copy.")
    source = await SQLiteDatabase.open(path)  # brings an older file up to date first
    try:
        target = await Database.open(url)
        try:
            return await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()


def add_parser(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database tools: copy SQLite into PostgreSQL")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    to = db_commands.add_parser(
        "migrate-to", help="copy the SQLite database into an empty PostgreSQL database"
    )
    to.add_argument("url", help="postgresql://user:password@host:5432/database")


def run(args: argparse.Namespace, settings: Settings) -> int:
    copied = asyncio.run(migrate_to(settings.database_path, args.url))
    width = max((len(t.name) for t in copied), default=5)
    for table in copied:
        state = "verified" if table.verified else "DIFFERENT"
        print(f"{table.name:<{width}}  {table.rows:>9,} rows  {state}")
    bad = [t.name for t in copied if not t.verified]
    if bad:
        print(f"Copy NOT verified for: {', '.join(bad)}. Do not switch over.", file=sys.stderr)
        return 1
    print(
        f"Copied {len(copied)} tables into PostgreSQL, each verified. Set COACHBOT_DATABASE_URL"
        " to it and start the bot."
    )
    return 0
