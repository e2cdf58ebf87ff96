"""Database triggers that make a table append-only, so that not even raw SQL or a bug in a later
migration edits history. SQLite gets the UPDATE trigger only: Django's test runner empties
tables with DELETE on SQLite (PostgreSQL uses TRUNCATE, which DELETE triggers do not see)."""

from django.db.migrations.operations.special import RunPython


def _forwards(table: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql;
                CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
                """
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )

    return run


def _backwards(table: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_no_update"
            + (f" ON {table}" if schema_editor.connection.vendor == "postgresql" else "")
        )

    return run


def append_only(table: str) -> RunPython:
    return RunPython(_forwards(table), _backwards(table))
