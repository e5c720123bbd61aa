"""Database layer: SQLAlchemy models, engine/session handling, Alembic migrations, seed data."""
