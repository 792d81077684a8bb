"""sixbao: a terminal 台账 (task ledger) for supervising the “六保” policy tasks."""

__version__ = "0.1.0"
