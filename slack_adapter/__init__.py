"""The Slack adapter: `/coach`, mentions, DMs and the App Home on the same core as Discord.

Thin like cogs/: parse what Slack sends, call the core (coachbot.App), render Block Kit.
The composition root is `slack_adapter.app.create_slack_app`.
"""
