"""After a report's output: keep what it found for the next report, on its own connection.

A report leaves its temporary tables in the connection it judged on
(``Ledger.connection``): the verdicts its ladder judged, the tasks' facts it
read and the units' reports per 旬 its ranking counted are copied from them
by a statement each (services.verdicts, services.kept_facts), in one write,
then the tables are dropped.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from sixbao_cli.errors import LedgerUnavailable
from sixbao_cli.services import judging, kept_facts, ranking, verdicts
from sixbao_cli.services.kept_facts import KeptFacts
from sixbao_cli.services.verdicts import Verdicts


def keep(ledger, conn: Connection, found: Verdicts | None, facts: KeptFacts | None) -> None:
    """Keep the ladder's verdicts and the facts (with the ranking's counts) a report found, then drop its
    temporary tables; best effort.

    Skipped, without a word, when the ledger cannot be written now (read-only
    file or role, another program holding it for over a second): the report
    is complete without it, and the next one reads afresh.
    """
    something = (found is not None and found.noted) or (facts is not None and facts.judged)
    try:
        if something:
            with ledger.write(wait=1.0, conn=conn) as w:
                verdicts.keep(w, found)
                kept_facts.keep(w, facts)
    except (LedgerUnavailable, DBAPIError):
        pass
    finally:
        try:  # the tables were left for the keeping; nothing else needs them
            with conn.begin():
                judging.drop(conn)
                ranking.drop(conn)
        except DBAPIError:
            pass
