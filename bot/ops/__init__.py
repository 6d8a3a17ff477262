"""Operations: built artifacts, hot reload, the ratings export for retraining, health
checks and Prometheus metrics."""
