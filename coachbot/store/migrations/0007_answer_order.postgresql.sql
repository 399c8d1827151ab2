-- The order in which quiz answers arrived breaks leaderboard ties (the first to score wins).
-- SQLite keeps it in rowid; PostgreSQL has none, so it gets a counter (0007_answer_order.sqlite.sql).
ALTER TABLE quiz_answers ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
