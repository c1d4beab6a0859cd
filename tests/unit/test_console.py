"""Tables line up in display columns: a Chinese character takes two, a Latin letter one."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from fairdraw import print_table, table


def test_columns_line_up_with_chinese_and_latin_text(capsys: pytest.CaptureFixture[str]) -> None:
    made = table("名称", "code", "数量", right=(2,))
    made.add_row("北京市西城区某某大厦人防工程", "QUAL", "3")
    made.add_row("B1", "通信警报", "12")
    made.add_row("[MAINT] :smile:", "x", "100")
    print_table(made)
    lines = [line.rstrip() for line in capsys.readouterr().out.splitlines() if line.strip()]
    rows = [line for line in lines if not set(line) <= {"─", " "}]
    assert len(rows) == 4
    # The second column starts at the same display column on every row, and the numbers end
    # at the same one (right-aligned).
    seconds = ["code", "QUAL", "通信警报", "x"]
    assert (
        len({cell_len(row[: row.index(cell)]) for row, cell in zip(rows, seconds, strict=True)})
        == 1
    )
    assert len({cell_len(row) for row in rows}) == 1
    assert "[MAINT] :smile:" in rows[3]  # data is printed as it is: no markup, no emoji codes
