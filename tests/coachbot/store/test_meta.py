"""The install salt: one secret per install, kept under its historical key `vote_salt`."""

from __future__ import annotations

from coachbot.store.database import Database
from coachbot.store.meta import MetaStore


async def test_the_install_salt_is_the_secret_migration_0002_created(database):
    meta = MetaStore(database)

    salt = await meta.install_salt()

    assert salt == await meta.get("vote_salt")  # existing installs keep their hashes
    assert len(salt) == 64 and int(salt, 16) >= 0  # 32 random bytes, in hex


async def test_each_install_has_its_own_salt(database, other_target):
    other = await Database.open(other_target)
    try:
        assert await MetaStore(database).install_salt() != await MetaStore(other).install_salt()
    finally:
        await other.close()
