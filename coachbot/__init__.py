"""CoachBot core: coaching cards, quizzes and debriefs for customer-service agents.

The core never imports discord; adapters (the terminal console, the Discord cogs) hold an App.
"""

__version__ = "0.1.0"
