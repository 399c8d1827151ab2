"""Domain errors carry a message meant for the user; adapters show it as it is."""


class CoachError(Exception):
    """An error whose `user_message` is safe to show to the person who caused it."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class InvalidInput(CoachError):
    """The user's input cannot be used as it is (empty, too long, malformed)."""


class KnowledgeError(CoachError):
    """The knowledge base failed validation; `problems` holds every `file:line:col: msg`."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"The knowledge base has {count} {noun}:\n" + "\n".join(problems))
        self.problems = problems
