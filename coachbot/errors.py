"""Domain errors carry a message meant for the user; adapters show it as it is."""


class CoachError(Exception):
    """An error whose `user_message` is safe to show to the person who caused it."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class InvalidInput(CoachError):
    """The user's input cannot be used as it is (empty, too long, malformed)."""


class ScrubFailed(CoachError):
    """Removing personal data from a text failed (a bug in a scrubber pass): the text is
    refused rather than kept with that kind of personal data left in (fail closed)."""

    def __init__(self, user_message: str = "") -> None:
        super().__init__(user_message or SCRUB_FAILED)


SCRUB_FAILED = (
    "Sorry, removing personal details from your text failed on my side, so nothing was "
    "stored. Please try again in a moment, or reword it."
)


class KnowledgeError(CoachError):
    """The knowledge base failed validation; `problems` holds every `file:line:col: msg`."""

    def __init__(self, problems: list[str]) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"The knowledge base has {count} {noun}:\n" + "\n".join(problems))
        self.problems = problems
