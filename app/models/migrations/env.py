"""Alembic environment: always run against a connection handed over by `app.models.migrate`."""

from alembic import context

from app.models.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Confide migrations run only through app.models.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
