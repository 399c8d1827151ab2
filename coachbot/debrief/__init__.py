"""Debriefs: the scrubber (pure) that every stored free text goes through."""
