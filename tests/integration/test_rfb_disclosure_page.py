"""The disclosure page (``index.html``), rendered from the office's Jinja2 template with
autoescape: what it states (the office, its contact and complaint channel from ``rfb.toml``, the
公示日期 in Beijing time, the task number, 检查方式, 执法依据, findings, the leader and the dice,
the key's fingerprint), a link to every file of the publication and to the browser verifier,
hostile values escaped, and its layout in a real headless Chromium at 1280 and 390 pixels."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from browser import chromium, screenshot
from fairdraw import DrawRecord
from rfb_policy.ceremony.record import MonthRecord
from rfb_policy.errors import ConfigError
from rfb_policy.month import Month
from rfb_policy.publish.disclosure import PublicRow, write_publication
from rfb_policy.publish.index_page import OfficeDetails, fingerprint
from rfb_policy.rules.items import Catalogue
from rfb_policy.workflow.clock import BEIJING
from rfb_policy.workflow.config import CONFIG_TEMPLATE, OfficeConfig
from rfb_policy.workflow.demo import DemoReport, run_demo
from verify_vectors import PUBLICATIONS, file_bytes

CODE = "from rfb_policy.cli.main import main; main()"
BANNER = (0xFF, 0xF3, 0xCD)  # the demo banner's background
RULE = (0xB3, 0x26, 0x1E)  # the line under each heading


class Page(HTMLParser):
    """A page's links, its text, and every tag it opens."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    folder = tmp_path_factory.mktemp("page") / "demo"
    return run_demo(Month(2026, 1), folder, dice=lambda n: [(5 * i) % 6 + 1 for i in range(n)])


def page_of(demo: DemoReport) -> str:
    return (demo.folder / "publication" / "index.html").read_text(encoding="utf-8")


def test_the_page_states_what_a_citizen_looks_for(demo: DemoReport) -> None:
    folder = demo.folder / "publication"
    page = page_of(demo)
    record = DrawRecord.from_json(json.loads((folder / "record.json").read_text("utf-8")))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    published = datetime.fromisoformat(manifest["published"]).astimezone(BEIJING)
    assert f"<dt>公示日期</dt><dd>{published.year}年{published.month}月{published.day}日" in page
    assert "<dt>任务编号</dt><dd>xicheng-demo-2026-01" in page
    assert "<dt>检查方式</dt><dd>双随机抽查，现场检查</dd>" in page
    catalogue = Catalogue.bundled()
    for code in {scope.split("/")[0] for scope in demo.result.drawn}:
        assert catalogue[code].name in page
        assert all(basis in page for basis in catalogue[code].legal_basis), code
    assert "<strong>检查情况：</strong>防护密闭门未按规定维护（示例）" in page
    rolls = next(e.body["value"]["rolls"] for e in record.events if e.kind == "randomness")
    assert f'现场掷六面骰 50 次，点数依次为：<span class="hex">{" ".join(map(str, rolls))}' in page
    assert "<li>主管领导：主管领导（演示）</li>" in page
    assert "<li>见证人：李某（演示）（区司法局）</li>" in page
    assert "抽取结果由主管领导（演示）（主管领导）于 " in page  # the leader's confirmation
    assert "drand quicknet 第 657413 轮" in page
    assert f"<code>{fingerprint(record.key_id)}</code>" in page
    assert "演示文件夹中的 office.key.pub" in page  # [office] key_notice
    assert "<dt>投诉举报</dt><dd>北京12345市民服务热线（电话 12345）</dd>" in page  # rfb init's
    assert "检查对象的地址不予公开" in page  # rule R18
    assert record.steering.sentence("zh") in page
    assert "pip install" not in page and "安装 fairdraw" not in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "default-src 'none'" in page and "<script" not in page


def test_every_file_of_the_publication_is_linked_and_every_link_is_a_file(
    demo: DemoReport,
) -> None:
    folder = demo.folder / "publication"
    links = set(Page(page_of(demo)).links)
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert links == files - {"index.html"}
    assert {"results.csv", "results.xlsx", "credit.json", "verify.html", "manifest.json"} <= links


@pytest.mark.parametrize("name", ["public", "redrawn"])
def test_the_vectors_pages_link_their_files_the_replaced_attempt_too(name: str) -> None:
    case = next(c for c in PUBLICATIONS["cases"] if c["name"] == name)
    files = file_bytes(case)
    links = set(Page(files["index.html"].decode("utf-8")).links)
    assert links == (set(files) | {"verify.html"}) - {"index.html"}
    assert any(link.startswith("superseded/") for link in links) is (name == "redrawn")


def test_hostile_values_are_escaped(demo: DemoReport, tmp_path: Path) -> None:
    record = MonthRecord.from_json(
        json.loads((demo.folder / "publication" / "record.json").read_text("utf-8"))
    )
    hostile = "<script>alert(1)</script>"
    row = PublicRow(
        id=hostile, name='<img src=x onerror="alert(1)">', items="&amp;", category="未发现问题",
        penalty_decision="</td></tr></table><script>", penalty_amount="", inspected_on="",
        findings="<b>门</b>", handling='"><iframe>',
    )  # fmt: skip
    office = OfficeDetails(
        name=f"西城区{hostile}", contact="</dd><script>x</script>", complaint="<style>",
        website='https://example.org/"><script>alert(1)</script>', key_notice="<i>公告栏</i>",
    )  # fmt: skip
    write_publication(tmp_path, [row], record, office=office)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    parsed = Page(page)
    assert not {"script", "img", "iframe", "b", "i"} & set(parsed.tags)
    assert parsed.tags.count("style") == 1 and parsed.tags.count("table") == 2
    text = "".join(parsed.text)
    for value in (hostile, row.name, row.items, row.findings, row.handling, office.contact):
        assert value in text, value  # shown as text, byte for byte
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://example.org/&#34;&gt;&lt;script&gt;' in page
    with pytest.raises(ValueError, match="http"):
        OfficeDetails(website="javascript:alert(1)")


def test_the_office_details_come_from_rfb_toml(demo: DemoReport, tmp_path: Path) -> None:
    """``rfb publish`` in an office folder whose rfb.toml gives a contact, a complaint
    channel and a website: the page shows them; a website that is no http(s) address is
    refused naming the field."""
    assert "# 公示页上的投诉举报渠道（留空则写“北京12345市民服务热线”）" in CONFIG_TEMPLATE
    folder = Path(shutil.copytree(demo.folder, tmp_path / "office"))
    config = folder / "rfb.toml"
    text = config.read_text(encoding="utf-8")
    settings = {
        'contact = ""': 'contact = "电话 010-0000 0000（演示）"',
        'complaint = "北京12345市民服务热线（电话 12345）"': 'complaint = "西城区政务服务热线（演示）"',
        'website = ""': 'website = "https://example.org/xicheng/rfb"',
    }
    for old, new in settings.items():
        assert old in text
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        "FAIRDRAW_KEY_PASSPHRASE": (folder / "office.key.passphrase").read_text().strip(),
    }
    out = tmp_path / "published"
    ran = subprocess.run(
        [sys.executable, "-c", CODE, "--config", str(config), "publish", "2026-01", "--out",
         str(out)], capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<dt>咨询</dt><dd>电话 010-0000 0000（演示）</dd>" in page
    assert "<dt>投诉举报</dt><dd>西城区政务服务热线（演示）</dd>" in page
    assert '<a href="https://example.org/xicheng/rfb">' in page
    config.write_text(text.replace("https://example.org", "javascript:alert(1)//"), "utf-8")
    with pytest.raises(ConfigError, match=r"\[office\] website"):
        OfficeConfig.load(config)


def test_the_demo_prints_the_citizens_check_apart_from_the_offices(demo: DemoReport) -> None:
    for lang in ("zh", "en"):
        lines = demo.lines(lang)
        citizen = next(i for i, line in enumerate(lines) if "(public files only" in line
                       or "（只用公开文件" in line)  # fmt: skip
        office = next(i for i, line in enumerate(lines) if "internal check" in line
                      or "本机关内部核验" in line)  # fmt: skip
        assert citizen < office
        public = "\n".join(lines[citizen:office])
        assert "internal" not in public  # neither the command's option nor the lists' folder
        assert str(demo.folder / "publication" / "verify.html") in public
        assert demo.public_command in public
        assert demo.internal_command in "\n".join(lines[office:])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as session:
        yield session


def _share(image: Image.Image, colour: tuple[int, int, int], top: int, bottom: int) -> float:
    band = image.convert("RGB").crop((0, top, image.width, min(bottom, image.height)))
    counts = {c: n for n, c in band.getcolors(maxcolors=band.width * band.height) or []}
    return counts.get(colour, 0) / (band.width * band.height)


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_at_1280_and_390_pixels(
    browser: Any, demo: DemoReport, tmp_path: Path, width: int
) -> None:
    """The page opened from file:// as a citizen's downloaded copy: nothing fetched, no
    sideways scroll, the names readable (at 390 pixels each object is a card whose name takes
    the card's width, not one character), the banner and headings drawn."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    browser.set_window_size(width, 900)
    browser.get((demo.folder / "publication" / "index.html").as_uri())
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = screenshot(browser, tmp_path / f"index-{width}.png", width, min(height, 6000))
    image = Image.open(shot)
    assert _share(image, BANNER, 0, 300) > 0.05  # the demo banner, first
    assert _share(image, RULE, 0, image.height) > 0.0005  # the headings' rules
    wide = browser.execute_script("return document.documentElement.scrollWidth")
    assert wide <= width, f"{wide} px wide in a {width} px window"
    em = browser.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('#results')).fontSize)"
    )
    names = browser.find_elements(By.CSS_SELECTOR, '#results td[data-key="name"] span')
    assert len(names) == len({o for ids in demo.result.drawn.values() for o in ids})
    narrowest = min(n.size["width"] for n in names)
    assert narrowest >= 9 * em, f"the name column is {narrowest} px wide at {width} px"
    header = browser.find_element(By.CSS_SELECTOR, "#results thead")
    cells = browser.find_elements(By.CSS_SELECTOR, '#results td[data-key="id"]')
    if width == 390:  # one card per object: the titles are in each card, not in a header row
        assert header.size["width"] <= 1
        assert all(c.size["width"] >= 0.8 * (width - 40) for c in cells)
    else:
        assert header.size["width"] > width / 2
        rows = {c.location["y"] for c in cells}
        assert len(rows) == len(cells)  # a table: one row per object
        boxes = browser.execute_script(
            "return [...document.querySelectorAll('.scroll')]"
            ".map(d => d.scrollWidth - d.clientWidth)"
        )
        assert boxes == [0, 0], f"a table scrolls sideways inside its box: {boxes}"


@pytest.mark.parametrize("width", [1280, 390])
def test_long_findings_read_as_lines_under_their_row(
    browser: Any, demo: DemoReport, tmp_path: Path, width: int
) -> None:
    """检查情况 and 处理情况 can run to paragraphs: the page shows them on a line of their own
    under the object's row, as wide as the table (as a column beside eleven others they were one
    character wide at 1280 pixels), and the page still never scrolls sideways."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    record = MonthRecord.from_json(
        json.loads((demo.folder / "publication" / "record.json").read_text("utf-8"))
    )
    long = "防护密闭门门框墙渗水，" * 20
    rows = [
        PublicRow(
            id=f"91110102MA0000000{i}",
            name=f"某某大厦人防工程{i}",
            items="人防工程维护管理",
            category="发现问题已责令改正" if i == 1 else "未发现问题",
            penalty_decision="",
            penalty_amount="",
            inspected_on="2026-01-20",
            group="第1组",
            officers="张三、李四",
            findings=long if i == 1 else "",
            handling="已责令限期整改。" * 12 if i == 1 else "",
        )
        for i in range(3)
    ]
    write_publication(tmp_path, rows, record)
    browser.set_window_size(width, 900)
    browser.get((tmp_path / "index.html").as_uri())
    height = browser.execute_script("return document.documentElement.scrollHeight")
    screenshot(browser, tmp_path / f"long-{width}.png", width, min(height, 6000))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    table = browser.find_element(By.CSS_SELECTOR, "#results")
    told = browser.find_elements(By.CSS_SELECTOR, "#results tr.detail p")
    assert [p.get_attribute("data-key") for p in told] == ["findings", "handling"]
    assert all(p.size["width"] >= 0.85 * table.size["width"] - 40 for p in told)
    assert told[0].text == f"检查情况：{long}"
    names = browser.find_elements(By.CSS_SELECTOR, '#results td[data-key="name"]')
    assert names[1].location["y"] < told[0].location["y"] < names[2].location["y"]
    headers = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#results th")]
    assert "检查情况" not in headers and "处理情况" not in headers
