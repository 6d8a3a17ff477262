"""Blending CF and semantic scores, diversity re-ranking, reasons."""
