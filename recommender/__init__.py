"""recbot's pure core: catalog, CF models, language understanding, ranking.

Nothing in this package reads the environment, the network (except the explicit,
checksum-verified dataset download in ``recommender.data.fetch``) or Redis:
everything it needs comes in as arguments.
"""
