"""Catalog and ratings: loading, matrices and evaluation splits."""
