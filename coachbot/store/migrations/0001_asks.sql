-- The anonymous ask log behind the trainers' knowledge-gap report.
-- No asker identity, ever; the question is masked before it gets here; the day, not the time.
CREATE TABLE asks (
    id          INTEGER PRIMARY KEY,
    day         TEXT    NOT NULL,              -- ISO date, UTC
    question    TEXT    NOT NULL,              -- masked text
    topic_id    TEXT,                          -- best topic, also when declined
    confidence  REAL    NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    answered    INTEGER NOT NULL CHECK (answered IN (0, 1))
);
CREATE INDEX asks_day ON asks (day);
CREATE INDEX asks_topic ON asks (topic_id);
