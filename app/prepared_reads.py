"""A SELECT compiled once per database and run straight on the driver's cursor.

The page of a reader whose comment awaits moderation costs one statement (app/public.py),
and SQLAlchemy's Core execute spent ten times the query's own time on it: an execution
context, a result object, a BEGIN and a ROLLBACK around one read. A read that is one
statement needs none of that. Here the statement is compiled once per dialect; each call
processes its values with their columns' own types (an enum stored as text, a UTC time
stored without a zone), runs it through `Connection._cursor_execute` and hands the columns
back through their types' result processors, so the rows equal what Core returns.

`_cursor_execute` is SQLAlchemy's own path for its special-case statements (sequences,
defaults): it fires the engine's cursor events (statement counts in tests, tracing), logs
with `echo`, and wraps the driver's errors, so a locked database is still an
OperationalError (a 503), not a driver's exception. It is private API, pinned with
SQLAlchemy in requirements.txt; tests/test_prepared_reads.py holds it to Core's answers on
SQLite and PostgreSQL.

Without a transaction of its own, one statement reads one consistent state on both: SQLite
runs it in autocommit, PostgreSQL in the driver's implicit transaction, rolled back when the
connection goes back to the pool. Inside a transaction it reads what that transaction sees.
"""

from collections import namedtuple
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Dialect
from sqlalchemy import Select
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


class PreparedRead:
    """One SELECT with named parameters (no expanding IN: give each place a name)."""

    def __init__(self, statement: Select):
        self.statement = statement
        self.row_type = namedtuple("Row", list(statement.selected_columns.keys()))
        self.compiled: dict[str, CompiledRead] = {}

    def rows(self, connection: Connection, values: Mapping[str, Any]) -> list[tuple]:
        """The rows, with attributes named as the statement's columns."""
        dialect = connection.dialect
        compiled = self.compiled.get(dialect.name)
        if compiled is None:
            compiled = self.compiled[dialect.name] = CompiledRead(self.statement, dialect)
        cursor = connection.connection.cursor()
        try:
            connection._cursor_execute(cursor, compiled.sql, compiled.parameters(values))  # noqa: SLF001
            return [self.row_type(*compiled.processed(row)) for row in cursor.fetchall()]
        finally:
            cursor.close()


class CompiledRead:
    """The statement's text for one dialect, and how values go in and come out."""

    def __init__(self, statement: Select, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        # Literal values in the statement (a status compared with) come with it.
        self.defaults = dict(compiled.params)
        # Most values go in as they are: only these pass through their type first.
        self.processors = {
            name: process
            for name, bind in compiled.binds.items()
            if (process := _bind_processor(bind.type, dialect)) is not None
        }
        # Positional paramstyles (SQLite's "?") take a sequence in this order; named ones a dict.
        self.order = compiled.positiontup
        self.results = [
            _result_processor(column.type, dialect) for column in statement.selected_columns
        ]

    def parameters(self, values: Mapping[str, Any]) -> list[Any] | dict[str, Any]:
        given = {**self.defaults, **values}
        for name, process in self.processors.items():
            if given.get(name) is not None:
                given[name] = process(given[name])
        return given if self.order is None else [given[name] for name in self.order]

    def processed(self, row: tuple) -> list[Any]:
        return [
            value if process is None or value is None else process(value)
            for process, value in zip(self.results, row, strict=True)
        ]


def _bind_processor(column_type, dialect: Dialect) -> Processor:
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def _result_processor(column_type, dialect: Dialect) -> Processor:
    return column_type.dialect_impl(dialect).result_processor(dialect, None)
