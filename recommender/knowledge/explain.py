"""Reasons that use what the catalog knows: "with Tom Hanks", "directed by Ridley
Scott", "about time travel", "like Alien: same director, space, aliens".

``Explainer.parts`` lists, for one pick, the query constraints it meets (genres, years,
rating: ``ranking.reasons.constraint_parts``), the people of the query it credits, and
the query's topic words among its keywords. ``like`` says what it shares with a
reference item.
"""

from __future__ import annotations

from recommender.knowledge.similarity import ItemSimilarity
from recommender.knowledge.topics import TopicIndex
from recommender.nlp.query import Query
from recommender.ranking.filters import CatalogIndex
from recommender.ranking.reasons import constraint_parts

MAX_SHARED = 3  # traits named after "like X:"


class Explainer:
    """Builds reason parts from the catalog indexes one engine already holds."""

    def __init__(self, index: CatalogIndex, topics: TopicIndex, similarity: ItemSimilarity) -> None:
        self.index = index
        self.topics = topics
        self.similarity = similarity

    def parts(self, query: Query, idx: int) -> list[str]:
        """Constraint labels the item meets, credited people, topics it is about."""
        parts = constraint_parts(query, self.index, idx)
        for ref in query.wanted_people():
            if ref.known and self.index.people.credited(ref, idx):
                parts.append(ref.label())
        if query.text.strip():
            about = self.topics.about(query.text, idx)
            if about:
                parts.append("about " + ", ".join(about))
        return parts

    def like(self, ref: int, idx: int) -> str:
        """ "like Alien: same director, space, aliens" (just "like Alien" when nothing
        specific is shared)."""
        title = self.index.catalog.titles[ref]
        shared = self.similarity.explain(ref, idx)[:MAX_SHARED]
        return f"like {title}: {', '.join(shared)}" if shared else f"like {title}"
