"""General family: synthesized SQLite environments with Python tools and verifiable tasks."""
