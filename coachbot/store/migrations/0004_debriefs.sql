-- Anonymous tough-call debriefs. No author id, ever; the text is scrubbed before it gets
-- here; the day, never the time. Ids are random and the table has no rowid, so neither
-- the id nor the storage order says when (or in what order) debriefs were written.
CREATE TABLE debriefs (
    id             TEXT    PRIMARY KEY,            -- random, unguessable
    guild_id       TEXT    NOT NULL,
    day            TEXT    NOT NULL,               -- ISO date, UTC
    what_happened  TEXT    NOT NULL,
    what_tried     TEXT    NOT NULL,
    what_worked    TEXT    NOT NULL,
    next_time      TEXT    NOT NULL,
    topic_id       TEXT,                           -- closest knowledge topic, if any
    delete_hash    TEXT    NOT NULL UNIQUE,        -- salted hash of the author's deletion code
    status         TEXT    NOT NULL CHECK (status IN ('review', 'waiting', 'shared')),
    shared_on      TEXT                            -- local date of the digest that shared it
) WITHOUT ROWID;
CREATE INDEX debriefs_waiting ON debriefs (guild_id, status);

-- Where and when a team's digest goes, and whether a trainer approves each debrief first.
CREATE TABLE debrief_channels (
    guild_id    TEXT    PRIMARY KEY,
    channel_id  TEXT    NOT NULL,
    local_time  TEXT    NOT NULL,
    timezone    TEXT    NOT NULL,
    review      INTEGER NOT NULL DEFAULT 0 CHECK (review IN (0, 1))
);

-- One digest per team per local day, claimed before posting (as quiz posts are).
CREATE TABLE debrief_digests (
    guild_id    TEXT NOT NULL,
    local_date  TEXT NOT NULL,
    message_id  TEXT,
    PRIMARY KEY (guild_id, local_date)
);

-- "This helped me": one per person and debrief, keyed by a salted hash, no user id.
CREATE TABLE debrief_helped (
    debrief_id  TEXT NOT NULL REFERENCES debriefs (id) ON DELETE CASCADE,
    voter_key   TEXT NOT NULL,
    PRIMARY KEY (debrief_id, voter_key)
) WITHOUT ROWID;
