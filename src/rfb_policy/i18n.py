"""rfb's message catalogue (gettext domain ``rfb``), on fairdraw's machinery (:mod:`fairdraw`'s
``catalogue``): messages are English in the code, Chinese in ``locale/zh_CN/LC_MESSAGES/rfb.po``,
and a run speaks the language ``rfb --lang`` chose (Chinese by default)."""

from __future__ import annotations

from pathlib import Path

from fairdraw import N_, catalogue, check_title

__all__ = ["LOCALEDIR", "N_", "_", "check_name"]

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
