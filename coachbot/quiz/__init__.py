"""Daily micro-quizzes: items, schedules, scoring, streaks and spaced practice (no Discord)."""
