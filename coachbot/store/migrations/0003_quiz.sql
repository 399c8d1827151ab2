-- Daily micro-quizzes. Quiz scores are per agent by design (leaderboards, practice);
-- agent_id is the platform's user id as text. Item ids are the trainers' stable ids: rows
-- keep them even after an item is removed from the knowledge base, so history survives.

-- A channel's standing order: post `questions` items at `local_time` in `timezone`.
CREATE TABLE quiz_schedules (
    id           INTEGER PRIMARY KEY,
    guild_id     TEXT    NOT NULL,
    channel_id   TEXT    NOT NULL UNIQUE,
    local_time   TEXT    NOT NULL,                 -- HH:MM, 24 h
    timezone     TEXT    NOT NULL,                 -- IANA name, e.g. Europe/Berlin
    weekdays     TEXT    NOT NULL DEFAULT '12345', -- ISO weekday digits, 1 = Monday
    questions    INTEGER NOT NULL DEFAULT 1 CHECK (questions BETWEEN 1 AND 3),
    window_hours INTEGER,                          -- NULL: open until the next quiz
    created_day  TEXT    NOT NULL
);

-- One quiz as posted. The unique (schedule_id, local_date) key is claimed BEFORE posting,
-- so two processes, or a restart, can never post the same day's quiz twice.
CREATE TABLE quiz_posts (
    id          INTEGER PRIMARY KEY,
    schedule_id INTEGER REFERENCES quiz_schedules (id) ON DELETE SET NULL,
    guild_id    TEXT    NOT NULL,
    channel_id  TEXT    NOT NULL,
    local_date  TEXT    NOT NULL,                  -- the quiz day in the channel's zone
    claimed_at  TEXT    NOT NULL,                  -- UTC ISO instant
    closes_at   TEXT,                              -- UTC ISO instant; NULL until posted
    message_id  TEXT,                              -- set once Discord accepted the post
    closed      INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    UNIQUE (schedule_id, local_date)
);
CREATE INDEX quiz_posts_channel ON quiz_posts (channel_id, local_date);

CREATE TABLE quiz_post_items (
    post_id  INTEGER NOT NULL REFERENCES quiz_posts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    item_id  TEXT    NOT NULL,
    topic_id TEXT    NOT NULL,
    PRIMARY KEY (post_id, position),
    UNIQUE (post_id, item_id)
);

-- One answer per agent per question of a post: the primary key refuses a second click.
CREATE TABLE quiz_answers (
    post_id     INTEGER NOT NULL REFERENCES quiz_posts (id) ON DELETE CASCADE,
    item_id     TEXT    NOT NULL,
    agent_id    TEXT    NOT NULL,
    topic_id    TEXT    NOT NULL,
    choice      INTEGER NOT NULL,
    correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
    answered_on TEXT    NOT NULL,                  -- the quiz day (local date of the post)
    PRIMARY KEY (post_id, item_id, agent_id)
);
CREATE INDEX quiz_answers_agent ON quiz_answers (agent_id);

-- Personal spaced practice: a Leitner box and the day the item is next due, per agent.
CREATE TABLE practice_cards (
    agent_id TEXT    NOT NULL,
    item_id  TEXT    NOT NULL,
    topic_id TEXT    NOT NULL,
    box      INTEGER NOT NULL CHECK (box BETWEEN 1 AND 5),
    due_day  TEXT    NOT NULL,
    PRIMARY KEY (agent_id, item_id)
);

-- Days an agent is away: quiz days inside a pause neither count nor break a streak.
CREATE TABLE streak_pauses (
    agent_id  TEXT NOT NULL,
    guild_id  TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day  TEXT NOT NULL,
    PRIMARY KEY (agent_id, guild_id, first_day)
);
