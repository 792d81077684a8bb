"""Cached bytecode for sixbao_cli before anything is timed.

An installed wheel has it (pip compiles every module on install), and so has
an editable install once each module has been imported, unless
``PYTHONDONTWRITEBYTECODE`` is set (some shells and CI images set it): then
every run compiles each sixbao_cli module it imports from source again, some
50-90 ms of ``progress add`` on the 2-core reference machine, which no user of
an installed sixbao pays. So the benchmarks write it first; the interpreter
reads cached bytecode whatever that variable says.
"""

from __future__ import annotations

import compileall
import importlib.util
import os
from pathlib import Path


def ensure_bytecode() -> str:
    """Compile sixbao_cli's modules into their ``__pycache__`` (a no-op when up to date); one line saying so."""
    spec = importlib.util.find_spec("sixbao_cli")
    if spec is None or not spec.submodule_search_locations:
        return "sixbao_cli not found: bytecode not checked"
    package = Path(next(iter(spec.submodule_search_locations)))
    ok = compileall.compile_dir(str(package), quiet=1)
    flag = " (PYTHONDONTWRITEBYTECODE is set: without this every run would compile them again)" \
        if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    return f"bytecode of {package} {'cached' if ok else 'NOT fully cached (compile errors)'}{flag}"
