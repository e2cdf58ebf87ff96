"""Database triggers that make a table append-only, so that not even raw SQL or a bug in a later
migration edits history. SQLite gets the UPDATE trigger only: Django's test runner empties
tables with DELETE on SQLite (PostgreSQL uses TRUNCATE, which DELETE triggers do not see, and
which `no_truncate` guards on its own)."""

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


# TRUNCATE passes row triggers by, so PostgreSQL gets a statement trigger too. A database can be
# let through with `ALTER DATABASE … SET sifra.allow_truncate = on`: the test databases are, as
# Django's test runner empties tables with TRUNCATE; a production database never is.
_REFUSE_TRUNCATE = """
CREATE OR REPLACE FUNCTION sifra_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('sifra.allow_truncate', true) = 'on' THEN RETURN NULL; END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
END; $$ LANGUAGE plpgsql;
"""


def no_truncate(*tables: str) -> RunPython:
    def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        # params=None so that psycopg passes plpgsql's % (RAISE's format) through as it is
        schema_editor.execute(_REFUSE_TRUNCATE, params=None)
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION sifra_refuse_truncate()"
            )

    def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")

    return RunPython(forwards, backwards)
