-- Rate limits that several processes share (PostgreSQL, or COACHBOT_MULTI_PROCESS=1): each
-- key's latest hits, one row per slot (at most the allowance's rate per key), the time in
-- microseconds since the epoch. The key is a keyed hash of the platform's person id, never
-- the id; rows leave once they are a whole window old (seconds to a minute).
CREATE TABLE rate_hits (
    scope  TEXT    NOT NULL,   -- which limit (ask, ...)
    key    TEXT    NOT NULL,   -- keyed hash (the install salt) of whose hits these are
    slot   INTEGER NOT NULL,   -- 0 .. rate - 1
    at_us  BIGINT  NOT NULL,
    PRIMARY KEY (scope, key, slot)
);
CREATE INDEX rate_hits_at ON rate_hits (scope, at_us);
