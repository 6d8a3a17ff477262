"""Errors whose message is meant for the person running recbot."""


class RecbotError(Exception):
    """An anticipated failure; ``str(exc)`` says what happened and what to do next.

    The CLI prints it as one line (no traceback) and exits with status 2.
    """


class DataError(RecbotError):
    """Input data is missing or malformed (the message names the file and line)."""


class ArtifactMissing(RecbotError):
    """A built artifact (CF model, embeddings, tagger) is absent: run ``recbot prepare``."""
