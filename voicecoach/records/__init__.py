"""What was done: the SQLite history of sessions and sets, and the statistics drawn from it."""
