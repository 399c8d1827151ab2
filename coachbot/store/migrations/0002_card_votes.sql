-- "Helpful" / "Not helpful" on coaching cards, counted per topic with no identity.
-- vote_key is a salted hash of (card message, voter) made by the service: it lets the same
-- person change or repeat a vote on one card without being counted twice, and it cannot be
-- turned back into a person or linked across cards without the salt and the message id.
CREATE TABLE card_votes (
    vote_key  TEXT    PRIMARY KEY,
    topic_id  TEXT    NOT NULL,
    helpful   INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    day       TEXT    NOT NULL               -- ISO date, UTC; never the time
);
CREATE INDEX card_votes_topic ON card_votes (topic_id);

-- Small installation facts: the vote salt, the hash of the last synced command set.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('vote_salt', lower(hex(randomblob(32))));
