"""Movie knowledge beyond ratings: people, item-item similarity, explanations."""
