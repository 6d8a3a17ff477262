"""recbot's pure core: catalog, CF models, language understanding, ranking.

Nothing in this package reads the environment, the network or Redis: everything it
needs comes in as arguments (data arrives as directories; ``bot.ops.downloads`` finds or
downloads them).
"""
