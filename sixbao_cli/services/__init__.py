"""The work behind each command: plain functions on an open connection, returning plain data.

Nothing here imports typer or rich; the CLI parses, calls one of these inside
a ledger transaction, and hands the result to a renderer.
"""
