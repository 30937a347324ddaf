"""Rows every request reads, fetched with SQL built once per database.

Django builds a query's SQL anew each time it runs. For the rows nearly every
request reads (the session's user with their profile, the roadmap the site
serves) building it cost more than the round trip: about half of a bare
signed-in request. So these queries are built once per database, from the
models' fields (so they follow every migration), and their rows become model
instances as the ORM makes them: Model.from_db, after the same converters.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Part:
    """One model's columns in a SELECT: the fields, their SQL, and the converters the ORM would run."""

    model: type[models.Model]
    fields: list
    sql: str
    converters: list  # (index among the fields, [converter, …], the column's expression)

    @classmethod
    def of(cls, model: type[models.Model], connection) -> "Part":
        quote = connection.ops.quote_name
        table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        columns = [field.get_col(table) for field in fields]
        converters = []
        for index, column in enumerate(columns):
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((index, found, column))
        sql = ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields)
        return cls(model, fields, sql, converters)

    def instance(self, values, alias: str, connection) -> models.Model:
        values = list(values)
        for index, converters, column in self.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return self.model.from_db(alias, [field.attname for field in self.fields], values)

    @property
    def pk_index(self) -> int:
        return next(index for index, field in enumerate(self.fields) if field.primary_key)


def one_row(connection, sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
