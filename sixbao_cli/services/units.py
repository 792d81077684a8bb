"""Units (单位) and their aliases."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, exists, func, insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from sixbao_cli import tables as T
from sixbao_cli.errors import Conflict, InvalidInput, NotFound
from sixbao_cli.messages import t
from sixbao_cli.services.lookup import suggest
from sixbao_cli.sqltypes import utcnow
from sixbao_cli.units import normalize_name


@dataclass
class UnitRow:
    """A unit as listed: name, aliases, parent, and how many tasks it leads or supports."""

    id: int
    name: str
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    region: str | None = None
    lead_tasks: int = 0
    support_tasks: int = 0


def find_unit(conn: Connection, name: str) -> int | None:
    """The id of the unit called ``name`` or known by that alias, else None."""
    key = normalize_name(name)
    found = conn.execute(select(T.unit.c.id).where(T.unit.c.name == key)).scalar()
    if found is None:
        found = conn.execute(select(T.unit_alias.c.unit_id).where(T.unit_alias.c.alias == key)).scalar()
    return found


def find_units(conn: Connection, keys: set[str]) -> dict[str, int]:
    """:func:`find_unit` for many normalised names at once: {key: unit id} for the keys that name a unit.

    One query for names and one for aliases per thousand keys, whatever the count.
    """
    found: dict[str, int] = {}
    wanted = sorted(keys)
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start:start + 1000]
        found.update(conn.execute(select(T.unit.c.name, T.unit.c.id).where(T.unit.c.name.in_(chunk))).all())
        rest = [key for key in chunk if key not in found]
        if rest:
            found.update(conn.execute(select(T.unit_alias.c.alias, T.unit_alias.c.unit_id)
                                      .where(T.unit_alias.c.alias.in_(rest))).all())
    return found


def resolve_unit(conn: Connection, name: str, *, can_create: bool = False) -> int:
    """The id of unit ``name`` (or alias); :class:`NotFound` with the nearest names otherwise.

    ``can_create`` says the caller offers ``--create-units``, so the hint may mention it.
    """
    found = find_unit(conn, name)
    if found is not None:
        return found
    key = normalize_name(name)
    near = suggest(key, _candidates(conn, key))
    if near:
        hint = t("unit.suggest", names=t("sep.list").join(near))
    else:
        hint = t("unit.add_or_create_hint" if can_create else "unit.add_hint", name=key)
    raise NotFound("unit.unknown", name=name, hint=hint)


def _candidates(conn: Connection, key: str, cap: int = 2000) -> list[str]:
    """Names and aliases sharing a two-character piece with ``key``: what a suggestion can come from.

    A province's ledger holds tens of thousands of units; narrowing in SQL
    keeps a typo's answer instant instead of fuzzy-matching every name.
    """
    pieces = {key[i:i + 2] for i in range(len(key) - 1)} or {key}
    found: list[str] = []
    for column in (T.unit.c.name, T.unit_alias.c.alias):
        # Names containing the whole text first, so the cap never drops the best answers.
        found += conn.execute(select(column).where(column.contains(key, autoescape=True)).limit(cap)).scalars().all()
        shared = [case((column.contains(piece, autoescape=True), 1), else_=0) for piece in sorted(pieces)]
        score = sum(shared[1:], shared[0])
        found += conn.execute(select(column).where(score > 0).order_by(score.desc(), column).limit(cap)).scalars().all()
    return found


def unit_name(conn: Connection, unit_id: int) -> str:
    """The canonical name of a unit."""
    return conn.execute(select(T.unit.c.name).where(T.unit.c.id == unit_id)).scalar_one()


def resolve_or_create(conn: Connection, name: str, *, create: bool) -> int:
    """Resolve ``name``; when ``create`` is set, add a unit for a name never seen."""
    if create and find_unit(conn, name) is None:
        return add_unit(conn, name)
    return resolve_unit(conn, name, can_create=True)


def add_unit(conn: Connection, name: str, *, aliases: list[str] = (), parent: str | None = None,
             region: str | None = None) -> int:
    """Create a unit with optional aliases; refuse a name or alias already in use."""
    canonical = normalize_name(name)
    if not canonical:
        raise InvalidInput("unit.empty_name")
    if find_unit(conn, canonical) is not None:
        raise Conflict("unit.exists", name=canonical)
    parent_id = resolve_unit(conn, parent) if parent else None
    try:
        unit_id = conn.execute(
            insert(T.unit).values(name=canonical, parent_id=parent_id, region=region, created_at=utcnow())
        ).inserted_primary_key[0]
    except IntegrityError:
        raise Conflict("unit.exists", name=canonical) from None  # added by someone else a moment ago
    for alias in aliases:
        add_alias(conn, canonical, alias)
    return unit_id


def add_alias(conn: Connection, unit: str, alias: str) -> tuple[str, str]:
    """Make ``alias`` another name of ``unit``; returns (unit name, alias)."""
    unit_id = resolve_unit(conn, unit)
    key = normalize_name(alias)
    if not key:
        raise InvalidInput("unit.empty_name")
    existing = find_unit(conn, key)
    name = unit_name(conn, unit_id)
    if existing is not None:
        if existing == unit_id:
            return name, key
        raise Conflict("unit.alias_taken", alias=key, other=unit_name(conn, existing))
    conn.execute(insert(T.unit_alias).values(alias=key, unit_id=unit_id))
    return name, key


def list_units(conn: Connection, *, search: str | None = None) -> list[UnitRow]:
    """Every unit with its aliases and task counts, by name; ``search`` filters on name or alias."""
    parent = T.unit.alias("parent")
    counts = (
        select(
            T.task_unit.c.unit_id,
            func.sum(case((T.task_unit.c.role == "lead", 1), else_=0)).label("lead"),
            func.sum(case((T.task_unit.c.role == "support", 1), else_=0)).label("support"),
        )
        .group_by(T.task_unit.c.unit_id)
        .subquery()
    )
    query = (
        select(T.unit.c.id, T.unit.c.name, T.unit.c.region, parent.c.name.label("parent"), counts.c.lead, counts.c.support)
        .outerjoin(parent, parent.c.id == T.unit.c.parent_id)
        .outerjoin(counts, counts.c.unit_id == T.unit.c.id)
        .order_by(T.unit.c.name)
    )
    if search:
        key = normalize_name(search)
        query = query.where(or_(
            T.unit.c.name.contains(key, autoescape=True),
            exists().where(T.unit_alias.c.unit_id == T.unit.c.id, T.unit_alias.c.alias.contains(key, autoescape=True)),
        ))
    alias_rows = conn.execute(select(T.unit_alias.c.unit_id, T.unit_alias.c.alias).order_by(T.unit_alias.c.alias)).all()
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in alias_rows:
        aliases.setdefault(unit_id, []).append(alias)
    rows = [
        UnitRow(r.id, r.name, aliases.get(r.id, []), r.parent, r.region, int(r.lead or 0), int(r.support or 0))
        for r in conn.execute(query)
    ]
    return rows
