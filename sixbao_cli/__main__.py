"""Allow ``python -m sixbao_cli``."""

from sixbao_cli.cli import main

main()
