"""Rows written by SQL where bulk_create cannot (a multi-table model) or costs too much (a
million comments): values prepared as the fields prepare them, in batches."""

from django.db import connection

from .xtd import Comment, XtdComment


def insert_comments(rows, batch_size):
    """bulk_create cannot write a multi-table model: both tables by SQL, the library's first.

    No model instance per base row, and each column's distinct values prepared for the
    database once: a million comments repeat their post, names, texts and flags.
    """
    base_fields = [f for f in Comment._meta.concrete_fields if not f.primary_key]
    pks = insert_rows(Comment, base_fields, prepared(base_fields, rows), batch_size, returning=True)
    for row, pk in zip(rows, pks, strict=True):
        row.pk = row.comment_ptr_id = pk
        row._state.adding, row._state.db = False, connection.alias
        if not row.thread_id:  # A root is its own parent and thread, as XtdComment.save() makes it.
            row.parent_id = row.thread_id = row.pk
    own_fields = list(XtdComment._meta.local_concrete_fields)
    insert_rows(XtdComment, own_fields, prepared(own_fields, rows), batch_size)


def prepared(fields, objects):
    """Each object's values as the database takes them, as field.get_db_prep_save makes them."""
    caches = [{} for _ in fields]
    prepared = []
    for obj in objects:
        values = []
        for field, cache in zip(fields, caches, strict=True):
            value = getattr(obj, field.attname)
            try:
                values.append(cache[value])
            except KeyError:
                values.append(cache.setdefault(value, field.get_db_prep_save(value, connection)))
        prepared.append(values)
    return prepared


def insert_rows(model, fields, value_rows, batch_size, *, returning=False):
    """INSERT prepared values; with returning, the new primary keys in the order of the rows
    (the RETURNING that bulk_create relies on too)."""
    ops = connection.ops
    sql = "INSERT INTO {} ({}) ".format(
        ops.quote_name(model._meta.db_table), ", ".join(ops.quote_name(f.column) for f in fields)
    )
    returning_sql = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    if connection.vendor == "postgresql":
        # One short statement a batch, a column an array, as bulk_create does there: psycopg
        # would otherwise parse a statement of thousands of placeholders on every batch.
        unnest = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
        sql += f"SELECT * FROM UNNEST({unnest})"
        batches = [
            (
                sql + returning_sql,
                [
                    list(column)
                    for column in zip(*value_rows[first : first + batch_size], strict=True)
                ],
            )
            for first in range(0, len(value_rows), batch_size)
        ]
    else:
        batch_size = min(batch_size, ops.bulk_batch_size(fields, value_rows) or 1)
        row_sql = "({})".format(", ".join(["%s"] * len(fields)))
        batches = [
            (
                f"{sql}VALUES {', '.join([row_sql] * len(batch))}{returning_sql}",
                [value for values in batch for value in values],
            )
            for first in range(0, len(value_rows), batch_size)
            for batch in [value_rows[first : first + batch_size]]
        ]
    pks = []
    with connection.cursor() as cursor:
        for statement, params in batches:
            cursor.execute(statement, params)
            if returning:
                pks += [pk for (pk,) in cursor.fetchall()]
    return pks
