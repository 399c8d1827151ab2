-- What agents pick after a clarify, a decline, or a card they marked not helpful: the
-- trainers' proposed example questions. No identity, ever: the question is scrubbed before it
-- gets here, days not times, and nothing says who picked.

-- One proposed example question per (topic, question). `question_key` is the question folded
-- (case, spacing), so the same question asked twice is one suggestion counted twice. A
-- trainer's answer stays: an accepted or rejected suggestion never comes back as open.
CREATE TABLE suggestions (
    id           INTEGER PRIMARY KEY,
    topic_id     TEXT    NOT NULL,
    question_key TEXT    NOT NULL,
    question     TEXT    NOT NULL,               -- scrubbed text, as first picked
    picks        INTEGER NOT NULL DEFAULT 1 CHECK (picks >= 1),
    via_clarify  INTEGER NOT NULL DEFAULT 0,
    via_decline  INTEGER NOT NULL DEFAULT 0,
    via_related  INTEGER NOT NULL DEFAULT 0,     -- a related card opened after "Not helpful"
    first_day    TEXT    NOT NULL,               -- ISO date, UTC
    last_day     TEXT    NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
    decided_day  TEXT,
    UNIQUE (topic_id, question_key)
);
CREATE INDEX suggestions_open ON suggestions (state, topic_id);

-- A question waiting for the agent's pick, under a random token that the reply's buttons
-- carry: a click names the token, never the text, and no person. Expired after a day or two.
CREATE TABLE pick_tokens (
    token        TEXT    PRIMARY KEY,
    question     TEXT    NOT NULL,               -- scrubbed text
    day          TEXT    NOT NULL,
    not_helpful  INTEGER NOT NULL DEFAULT 0 CHECK (not_helpful IN (0, 1)),
    used         INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX pick_tokens_day ON pick_tokens (day);
