"""Alembic migrations, run automatically when a store is opened."""

# The newest revision in versions/; a test checks it against Alembic's own view, and
# opening a store skips Alembic entirely when the database is already there.
HEAD = "0005"
