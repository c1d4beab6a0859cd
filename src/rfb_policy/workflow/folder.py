"""An office's folder: ``rfb.toml``, the office key, the database and ``calendar/``.

:func:`init_office` makes one whole or not at all: if any step fails, what it had made is
removed again, so a failed ``rfb init`` leaves no half-made office (and no key) behind.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from fairdraw import OfficeKey, PolicyError, open_store, write_atomic
from rfb_policy.errors import ConfigError
from rfb_policy.i18n import _
from rfb_policy.workflow.config import CONFIG_NAME, CONFIG_TEMPLATE, PREFIX, OfficeConfig

__all__ = ["CALENDAR_NOTE", "init_office"]

CALENDAR_NOTE = """\
国务院办公厅发布新一年的放假安排通知后，在本文件夹中新建 YEAR.json（例如 2027.json）：
When the State Council publishes a new year's holiday notice, add YEAR.json here, e.g. 2027.json:

{
  "format": "rfb-calendar/1",
  "year": 2027,
  "notice": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
  "holidays": ["2027-01-01", "..."],
  "workdays": ["2027-02-07", "..."]
}

holidays：放假的日期；workdays：调休上班的周末日期。没有该年度数据时，rfb 拒绝安排抽取日，从不猜测。
holidays are the days off, workdays the weekend days worked instead. Without a year's data rfb
refuses to schedule a draw; it never guesses.
"""


def init_office(folder: Path, *, office: str, prefix: str, passphrase: bytes) -> OfficeConfig:
    """Create an office folder: ``rfb.toml``, the office key, an empty database, ``calendar/``.

    ``rfb.toml`` is written last: a folder with office files but without it is what an
    interrupted ``rfb init`` left, and the message says so.

    Raises:
        PolicyError: the folder holds an office already (nothing is overwritten), or what an
            interrupted ``rfb init`` left, the passphrase is shorter than 8 bytes, or the prefix
            is not letters, digits and ``-``.
        ConfigError: the folder cannot be written (nothing is left behind then).
    """
    config_path = folder / CONFIG_NAME
    key_path = folder / "office.key"
    made = [config_path, key_path, key_path.with_name("office.key.pub"), folder / "office.db"]
    found = [p for p in (*made, folder / "calendar") if p.exists()]
    if key_path in found and not config_path.exists():  # an interrupted rfb init
        raise PolicyError(
            _(
                "{folder}: an interrupted rfb init left {files} (no rfb.toml: the office was "
                "never set up); delete them and run it again"
            ).format(folder=folder, files=_(", ").join(p.name for p in found))
        )
    for existing in found:
        raise PolicyError(
            _("{path} exists already; rfb init never overwrites an office").format(path=existing)
        )
    if len(passphrase) < 8:
        raise PolicyError(_("the key passphrase needs at least 8 bytes"))
    if not PREFIX.fullmatch(prefix):
        raise PolicyError(
            _("the prefix {prefix}: use letters, digits and - only").format(prefix=repr(prefix))
        )
    created_folder = not folder.exists()
    try:
        text = CONFIG_TEMPLATE.format(
            office=json.dumps(office, ensure_ascii=False), prefix=json.dumps(prefix)
        )
        config = OfficeConfig.from_data(tomllib.loads(text), config_path)  # checked first
        folder.mkdir(parents=True, exist_ok=True)
        OfficeKey.generate().save(key_path, passphrase)
        write_atomic(folder / "calendar" / "README.txt", CALENDAR_NOTE)
        open_store(config.database).close()
        write_atomic(config_path, text)  # last: its presence says the office is set up
    except BaseException as err:
        for path in made:
            for leftover in (path, *path.parent.glob(f"{path.name}-*")):
                leftover.unlink(missing_ok=True)
        shutil.rmtree(folder / "calendar", ignore_errors=True)
        if created_folder:
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(err, OSError):
            raise ConfigError(
                _("{folder}: cannot create the office here: {error}").format(
                    folder=folder, error=err
                )
            ) from err
        raise
    return config
