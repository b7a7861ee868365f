"""Primitives every layer computes with: written numbers, money units, rounding intervals.

``numbers`` parses the figures as written, ``units`` converts money units to 万元 and
``intervals`` does the arithmetic over rounded figures. They import nothing of gouji but
``data`` and ``limits``, so ingest, tables, narrative and alignment may all use them.
"""
