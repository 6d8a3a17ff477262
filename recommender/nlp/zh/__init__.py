"""The Chinese understanding path: segmentation, lexicon and parser into ``Query``."""
