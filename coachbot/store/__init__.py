"""All SQL lives here: one connection per process, numbered migrations, one module per area."""

from coachbot.store.database import Database

__all__ = ["Database"]
