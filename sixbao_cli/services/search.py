"""Chinese substring search over task titles and bodies.

SQLite: the FTS5 trigram index ``task_fts`` answers terms of three or more
characters; shorter terms (two-character words such as 就业 are common) fall
back to LIKE, which trigrams cannot serve. PostgreSQL: ILIKE on the same text
expression the pg_trgm GIN index was built on, so the planner can use it.
Each whitespace-separated term must match (AND).
"""

from __future__ import annotations

from sqlalchemy import and_, column, func, or_, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from sixbao_cli import tables as T

_fts = table("task_fts", column("rowid"), column("task_fts"))


def _fts_phrase(term: str) -> str:
    # An FTS5 string: double quotes doubled inside, so no term is read as query syntax.
    return '"' + term.replace('"', '""') + '"'


def matches(conn: Connection, text: str) -> ColumnElement[bool]:
    """A condition on ``task`` that holds when every term of ``text`` occurs in its title or body."""
    terms = text.split()
    task = T.task
    if conn.dialect.name == "postgresql":
        haystack = task.c.title.op("||")(" ").op("||")(func.coalesce(task.c.body, ""))
        # ILIKE, like SQLite's FTS5 and LIKE, ignores case; the trigram index serves it too.
        return and_(*(haystack.icontains(term, autoescape=True) for term in terms))
    long_terms = [term for term in terms if len(term) >= 3]
    short_terms = [term for term in terms if len(term) < 3]
    conditions = []
    if long_terms:
        query = " AND ".join(_fts_phrase(term) for term in long_terms)
        conditions.append(task.c.id.in_(select(_fts.c.rowid).where(_fts.c.task_fts.op("MATCH")(query))))
    for term in short_terms:
        conditions.append(or_(task.c.title.contains(term, autoescape=True),
                              func.coalesce(task.c.body, "").contains(term, autoescape=True)))
    return and_(*conditions)
