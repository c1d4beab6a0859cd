"""Tables for people, with rich: columns line up whatever the script (a Chinese character is two
columns wide on a terminal, a Latin letter one), on a terminal and in a file alike.

The command lines of fairdraw and rfb print their tables through :func:`table` and
:func:`print_table`; JSON output never goes through here. Text is printed as it is: no markup,
no highlighting, no emoji codes (a label ``[QUAL]`` or ``:smile:`` is data, not a style).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (rich is imported when a table is made: every command starts faster)
    from rich.table import Table

__all__ = ["print_table", "table"]


def table(*columns: str, right: Sequence[int] = (), title: str | None = None) -> Table:
    """An empty table with these column headings (``right``: the columns of numbers, aligned
    right), in the plain style of a printed list: a rule under the heading, no frame."""
    from rich import box  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    made = Table(
        *columns,
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        highlight=False,
    )
    for index in right:
        made.columns[index].justify = "right"
    return made


def print_table(made: Table, *, err: bool = False) -> None:
    """Print ``made`` to standard output (or error), as wide as the terminal, else 100 columns
    (a file, a pipe, a test): never wrapped at the 80 columns rich assumes off a terminal."""
    from rich.console import Console  # noqa: PLC0415

    console = Console(
        stderr=err, markup=False, highlight=False, emoji=False, soft_wrap=False, width=None
    )
    if not console.is_terminal:
        console = Console(
            stderr=err, markup=False, highlight=False, emoji=False, width=100, color_system=None
        )
    console.print(made)
