"""Spreadsheets departments send and receive: CSV in their encodings and delimiters, and .xlsx.

``source`` opens a file and finds its header row; ``header`` says which
column holds what; ``cells`` reads the values officers type (dates, percents,
numbers, text) and neutralises formula-like text for Excel; ``write`` writes a
sheet whole or not at all. Nothing here touches the ledger.
"""
