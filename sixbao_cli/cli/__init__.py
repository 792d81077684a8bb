"""The ``sixbao`` command line: one module per command group.

Each command parses its options, calls one service inside a ledger
transaction and hands the result to a renderer. Importing this package loads
typer only: SQLAlchemy, Alembic and the services are imported inside the
commands that use them, so ``--help`` and ``--version`` stay fast. The command
groups (``task``, ``progress``, …) are built only when asked for (see
:class:`LazyCommands`).
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from functools import partial
from typing import Annotated

import typer
from typer.core import TyperGroup

from sixbao_cli import __version__
from sixbao_cli.cli import demo, docs, init
from sixbao_cli.cli.common import State, error_line
from sixbao_cli.cli.usage import describe
from sixbao_cli.errors import ExitCode, SixbaoError
from sixbao_cli.messages import reset_lang, t

# The command groups, in the order --help lists them: name -> module under sixbao_cli.cli (whose
# ``app`` carries the group's name and help).
GROUPS = {"task": "task", "progress": "progress", "unit": "unit", "report": "report", "template": "template",
          "import": "imports", "export": "export", "db": "db"}


def command_builders(commands: list, settings: typer.Typer) -> dict[str, Callable[[], object]]:
    """Registered commands (typer's CommandInfo) by name, each as a function making its click command as typer does."""
    return {info.name or typer.main.get_command_name(info.callback.__name__):
            partial(typer.main.get_command_from_info, info, pretty_exceptions_short=settings.pretty_exceptions_short,
                    rich_markup_mode=settings.rich_markup_mode)
            for info in commands}


def build_group(name: str) -> typer.core.TyperGroup:
    """The click group ``name``: its module imported, the group made by typer, its commands left to be built."""
    sub = importlib.import_module(f"sixbao_cli.cli.{GROUPS[name]}").app
    registered, sub.registered_commands = sub.registered_commands, []
    try:
        group = typer.main.get_group(sub)  # the group itself: name, help, settings; no commands
    finally:
        sub.registered_commands = registered
    group.commands = LazyCommands({}, command_builders(registered, sub))
    return group


class LazyCommands(MutableMapping):
    """A group's sub-commands, each built the first time it is looked up.

    typer builds every command of every group up front, turning each
    function's signature into click parameters (``inspect.signature``, the
    type hints evaluated): for sixbao's ~40 commands that was ~50 ms of every
    invocation, which runs one. Here a group or command is built when click
    resolves it, when --help lists it, or when anything else reads it;
    listing only the names (``list(commands)``) builds nothing. The root holds
    its top-level commands and groups so, and each group its commands.
    """

    def __init__(self, built: dict[str, typer.core.TyperGroup], lazy: dict[str, Callable[[], object]]):
        self._built = dict(built)
        self._lazy = {name: make for name, make in lazy.items() if name not in self._built}
        self._order = [*self._built, *self._lazy]

    def __getitem__(self, name: str):
        if name not in self._built:
            self._built[name] = self._lazy.pop(name)()  # KeyError for an unknown name, as a dict
        return self._built[name]

    def __setitem__(self, name: str, command) -> None:
        self._lazy.pop(name, None)
        if name not in self._built:
            self._order.append(name)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self._built and name not in self._lazy:
            raise KeyError(name)
        self._built.pop(name, None)
        self._lazy.pop(name, None)
        self._order.remove(name)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._lazy


class SixbaoGroup(TyperGroup):
    """The root group: turns every failure into one clear line and an exit code."""

    def __init__(self, *, commands=None, **attrs):
        super().__init__(commands=commands, **attrs)
        self.commands = LazyCommands(self.commands, {**command_builders(top.registered_commands, app),
                                                     **{name: partial(build_group, name) for name in GROUPS}})

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)  # the names only: typer's own reads every value, building each group

    def main(self, *args, **kwargs):
        # Each invocation reads SIXBAO_LANG afresh (messages.lang keeps it): one process may run several
        # (tests through CliRunner, benchmarks/stress_writers.py), with the environment changed in between.
        reset_lang()
        return super().main(*args, **kwargs)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "ctx"):
                raise
            error_line(describe(exc))
            raise typer.Exit(ExitCode.USAGE) from None

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "ctx") or _debug(ctx):
                raise
            error_line(describe(exc))
            ctx.exit(ExitCode.USAGE)
        except (typer.Exit, typer.Abort):
            raise
        except SixbaoError as exc:
            if _debug(ctx):
                raise
            error_line(exc.message())
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader went away (sixbao task list | head): stop quietly, as a
            # program killed by SIGPIPE would, without a last failing flush.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except KeyboardInterrupt:
            error_line(t("error.interrupted"))
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence before a traceback
            if _debug(ctx):
                raise
            error_line(t("error.internal", kind=type(exc).__name__, detail=str(exc).splitlines()[0] if str(exc) else ""))
            ctx.exit(ExitCode.FAILURE)


def _debug(ctx: typer.Context) -> bool:
    obj = ctx.find_root().obj
    return (isinstance(obj, State) and obj.debug) or os.environ.get("SIXBAO_DEBUG", "") not in ("", "0")


app = typer.Typer(
    cls=SixbaoGroup,
    name="sixbao",
    help=t("app.help"),
    epilog=t("app.epilog"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sixbao {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db_option: Annotated[str | None, typer.Option("--db", envvar="SIXBAO_DB", metavar="PATH|URL",
                                                  help=t("opt.db"), show_envvar=True)] = None,
    debug: Annotated[bool, typer.Option("--debug", help=t("opt.debug"))] = False,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help=t("opt.version"))] = False,
) -> None:
    ctx.obj = State(db=db_option, debug=debug)


# The top-level commands, registered on a Typer of their own that typer never builds: SixbaoGroup
# builds each when it is used, and the groups in GROUPS likewise (see LazyCommands).
top = typer.Typer()
top.command("init", help=t("init.help"), epilog=t("init.epilog"))(init.init)
top.command("import-doc", help=t("doc.import.help"), epilog=t("doc.import.epilog"))(docs.import_doc)
top.command("demo", help=t("demo.help"), epilog=t("demo.epilog"))(demo.demo)


def main() -> None:
    """Console-script entry point.

    A sixbao command is a short-lived process, and most of its time is start-up
    and teardown: with the cyclic garbage collector on, Python runs it over and
    over while SQLAlchemy's hundreds of modules import, and once more over all
    of them on the way out, for memory the process is about to hand back
    anyway. So the collector is off (a command that streams large inputs may
    turn it back on), and once the output is flushed the process leaves with
    ``os._exit`` instead of tearing every module down. Every ledger is closed
    by then (commands close their engines in ``finally``). Measured on the
    2-core reference machine (benchmarks/run.py), this takes ``progress add``
    on a 100,000-task ledger from about 435 ms to about 300 ms.
    """
    gc.disable()
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = 141  # the reader went away (| head): as if killed by SIGPIPE, quietly
    os._exit(code)
