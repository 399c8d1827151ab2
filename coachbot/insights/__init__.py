"""Insights for trainers (what to train next) and data rights for agents (`/me`).

Plain values in and out; matplotlib is imported only when a chart is drawn.
"""

from coachbot.insights.models import Period, Report, parse_day, parse_period

__all__ = ["Period", "Report", "parse_day", "parse_period"]
