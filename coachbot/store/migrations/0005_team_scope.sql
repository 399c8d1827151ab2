-- Asks and card votes learn which server (team) they came from, so a trainer's report
-- covers their own team only. Still no person: the server id names the team, never the
-- asker. NULL for asks from a DM or the terminal, which belong to no team.
ALTER TABLE asks ADD COLUMN guild_id TEXT;
ALTER TABLE card_votes ADD COLUMN guild_id TEXT;
CREATE INDEX asks_guild_day ON asks (guild_id, day);
