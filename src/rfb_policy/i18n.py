"""rfb's message catalogue (gettext domain ``rfb``), on fairdraw's machinery (:mod:`fairdraw`'s
``catalogue``): messages are English in the code, Chinese in ``locale/zh_CN/LC_MESSAGES/rfb.po``,
and a run speaks the language ``rfb --lang`` chose (Chinese by default)."""

from __future__ import annotations

import re
from pathlib import Path

from fairdraw import N_, catalogue, check_title

__all__ = ["LOCALEDIR", "N_", "_", "check_name", "one_language"]

LOCALEDIR = Path(__file__).parent / "locale"

_ = catalogue("rfb", LOCALEDIR)
"""rfb's gettext function: the message in the run's language."""


_CHECKS = (
    N_("files"),
    N_("public-lists.json"),
    N_("manifest"),
    N_("manifest.files"),
    N_("rehearsal"),
    N_("demo"),
    N_("supersedes"),
    N_("attempts"),
    N_("assignment"),
    N_("assignment.format"),
    N_("assignment.draw_id"),
    N_("assignment.month"),
    N_("assignment.record"),
    N_("assignment.groups"),
    N_("assignment.objects"),
    N_("assignment.deal"),
    N_("assignment.moves"),
    N_("results.entries"),
    N_("results.files"),
    N_("log.checkpoint"),
)
"""The names of rfb's own checks (names are the same in every language: JSON, vectors)."""


def check_name(name: str) -> str:
    """A check's name in the run's language: rfb's own from its catalogue, fairdraw's from
    fairdraw's."""
    return _(name) if name in _CHECKS else check_title(name)


_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
_PAIR = re.compile(r" / (?=[A-Za-z'\"({\[])")


def one_language(message: str, lang: str) -> str:
    """``message`` in ``lang`` alone, for the messages rfb still writes in both languages as
    ``中文 / English`` (they move into the catalogue one by one; a message of one language is
    returned as it is). The English half gets the Chinese half's leading file or month
    (``{path}：…`` → ``{path}: …``) when it has none of its own."""
    for found in _PAIR.finditer(message):
        zh, en = message[: found.start()], message[found.end() :]
        if not _CJK.search(zh) or _CJK.search(en.split(":", 1)[0]):
            continue
        if lang == "zh":
            return zh
        lead = re.match(r"^([^\u3400-\u9fff]*?)：", zh)
        if lead and lead[1].strip() and not en.startswith(lead[1]):
            return f"{lead[1]}: {en}"
        return en
    return message
