"""Input formats the corpus reader knows (kept apart so the command line can check paths without pandas)."""

TABLE_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz", ".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz",
                  ".parquet", ".pq")
