"""Errors whose message is meant for the person running recbot (shared with the core)."""

from recommender.errors import ArtifactMissing, DataError, RecbotError

UserFacingError = RecbotError

__all__ = ["ArtifactMissing", "DataError", "RecbotError", "UserFacingError"]
