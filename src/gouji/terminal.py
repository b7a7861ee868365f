"""The terminal's width, as the text report and the command line's help wrap to it."""

from __future__ import annotations

import os
import sys

DEFAULT_WIDTH = 80  # when standard output is not a terminal and COLUMNS is not set
MIN_WIDTH = 40  # narrower terminals still get lines of this width


def terminal_width() -> int:
    """The terminal's columns (``COLUMNS`` first), 80 when standard output is not a terminal
    (``shutil.get_terminal_size``'s rule, without importing shutil at every start)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(MIN_WIDTH, columns or DEFAULT_WIDTH)
