"""CSV cells a spreadsheet will not run: OWASP's defence against formula injection.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read
as a formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)` in a log
stage becomes a link that leaks data when clicked). Such a cell gets a leading
single quote, which the spreadsheet shows as text and does not display.
"""

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that would start a formula, made literal; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]
