"""The Discord adapter: thin discord.py extensions over the core (see docs/architecture.md)."""
