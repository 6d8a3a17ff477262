"""Language understanding: BIO data, the BERT entity tagger, query parsing, sentence embeddings."""
