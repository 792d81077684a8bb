"""Turning plain data from the services into terminal output and JSON."""
