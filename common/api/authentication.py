"""Token authentication in one prepared statement that also says whether the token is limited to projects.

DRF's TokenAuthentication builds and compiles an ORM query on every request; for an answer served
from the cache that was the largest part of its few milliseconds. Here the statement (token, its
user, and whether any ``TokenProjectLimit`` exists for it) is written once per process, and the
rows become model instances with ``from_db``, as the ORM itself would make them. Knowing that a
token is not limited spares the usual request a second query for its limits (``common.api.scope``).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from common.models import TokenProjectLimit


class ProjectScopedTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, with ``token.is_project_limited`` set."""

    def authenticate_credentials(self, key):
        token = token_with_limit_flag(key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        return token.user, token


def token_with_limit_flag(key: str) -> Token | None:
    """The token of ``key`` with its user and ``is_project_limited``, or None."""
    sql, converters = _statement(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    token_fields, user_fields = _fields(Token), _fields(get_user_model())
    values = [_converted(value, column_converters) for value, column_converters in zip(row, converters, strict=True)]
    token = Token.from_db(connection.alias, [f.attname for f in token_fields], values[:len(token_fields)])
    token.user = get_user_model().from_db(connection.alias, [f.attname for f in user_fields],
                                          values[len(token_fields):len(token_fields) + len(user_fields)])
    token.is_project_limited = bool(row[-1])
    return token


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


def _converted(value, converters):
    """``value`` as the ORM would hand it over (SQLite's times, for one, come back as text)."""
    for converter, expression in converters:
        value = converter(value, expression, connection)
    return value


@cache
def _statement(alias: str) -> tuple[str, list[list]]:
    """The SQL, and per column the ORM's converters for it (the database's, then the field's)."""
    quote = connection.ops.quote_name
    user_model = get_user_model()
    converters = []
    for model in (Token, user_model):
        for field in _fields(model):
            column = field.get_col(model._meta.db_table)
            converters.append([(converter, column) for converter in
                               connection.ops.get_db_converters(column) + column.get_db_converters(connection)])
    converters.append([])  # the limit flag
    columns = [f"t.{quote(field.column)}" for field in Token._meta.concrete_fields]
    columns += [f"u.{quote(field.column)}" for field in user_model._meta.concrete_fields]
    token_key, token_user = quote(Token._meta.pk.column), quote(Token._meta.get_field("user").column)
    limited = (f"EXISTS (SELECT 1 FROM {quote(TokenProjectLimit._meta.db_table)} l "
               f"WHERE l.{quote(TokenProjectLimit._meta.get_field('token').column)} = t.{token_key})")
    sql = (f"SELECT {', '.join(columns)}, {limited} FROM {quote(Token._meta.db_table)} t "
           f"JOIN {quote(user_model._meta.db_table)} u ON u.{quote(user_model._meta.pk.column)} = t.{token_user} "
           f"WHERE t.{token_key} = %s")
    return sql, converters
