"""rfb_policy: the item catalogue (rules R1, R2)."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from fairdraw import speaking
from languages import english_prose
from rfb_policy.errors import CatalogueError
from rfb_policy.rules.items import Catalogue

BUNDLED: dict[str, Any] = json.loads(
    (resources.files("rfb_policy.data") / "items.json").read_text(encoding="utf-8")
)


def test_the_plan_s_seven_items() -> None:
    catalogue = Catalogue.bundled()
    assert [i.code for i in catalogue.random_items] == ["QUAL", "MAINT", "USE", "COMM"]
    assert [i.name for i in catalogue.random_items] == [
        "西城区人防工程质量监督",
        "西城区人防工程维护管理监督检查",
        "西城区人防工程使用安全监督检查",
        "西城区人防通信警报检查",
    ]
    excluded = {i.code: i.exclusion_reason for i in catalogue.excluded_items}
    assert set(excluded) == {"ACCEPT", "TRAIN", "ECON"}
    assert "动态原因" in excluded["ACCEPT"] and "动态原因" in excluded["TRAIN"]
    assert "市人防办" in excluded["ECON"]
    assert catalogue["QUAL"].ratio == 1
    assert {catalogue[c].ratio for c in ("MAINT", "USE", "COMM")} == {Fraction(3, 20)}
    assert all(catalogue[c].confidential_total for c in ("MAINT", "USE", "COMM"))
    assert not catalogue["QUAL"].confidential_total


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "items.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_putting_an_item_back_is_a_data_change(tmp_path: Path) -> None:
    data = copy.deepcopy(BUNDLED)
    accept = next(i for i in data["items"] if i["code"] == "ACCEPT")
    accept.update(random=True, exclusion_reason=None, ratio="10%")
    catalogue = Catalogue.from_file(write(tmp_path, data))
    assert "ACCEPT" in [i.code for i in catalogue.random_items]
    assert catalogue["ACCEPT"].ratio == Fraction(1, 10)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"random": False, "exclusion_reason": None}, "without a reason"),
        ({"random": False, "exclusion_reason": "  "}, "without a reason"),
        ({"ratio": "fifteen"}, "ratio"),
        ({"ratio": None}, "needs its ratio"),
        ({"legal_basis": []}, "legal_basis"),
        ({"category": "普通"}, "category"),
        ({"name": 5}, "field name is missing"),
    ],
)
def test_bad_catalogues_name_the_item_and_field(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    data = copy.deepcopy(BUNDLED)
    data["items"][1].update(change)
    with pytest.raises(CatalogueError, match=message) as info:
        Catalogue.from_file(write(tmp_path, data))
    assert "item 2" in str(info.value)


def test_catalogue_level_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not an item catalogue"):
        Catalogue.from_file(write(tmp_path, {"format": "other"}))
    data = copy.deepcopy(BUNDLED)
    data["items"][1]["code"] = "QUAL"
    with pytest.raises(CatalogueError, match="repeat"):
        Catalogue.from_file(write(tmp_path, data))
    with pytest.raises(CatalogueError, match="cannot read"):
        Catalogue.from_file(tmp_path / "missing.json")


def test_a_bad_catalogue_is_told_in_the_run_s_language(tmp_path: Path) -> None:
    data = copy.deepcopy(BUNDLED)
    data["items"][1].update({"random": False, "exclusion_reason": None})
    with speaking("zh"), pytest.raises(CatalogueError) as info:
        Catalogue.from_file(write(tmp_path, data))
    assert "第 2 个事项" in str(info.value) and "没有说明理由" in str(info.value)
    assert english_prose(str(info.value)) is None
