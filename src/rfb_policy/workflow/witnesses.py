"""Asking the ceremony's witnesses (:class:`rfb_policy.model.witness.Witness`) for their signed
statements.

The office hands each request to a :class:`WitnessDesk`: at ``rfb draw`` a prompt that says what
to run and reads back the signed file or pasted text; in tests and the demo, a witness's device.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from fairdraw import InputError, read_statement, write_json
from rfb_policy.i18n import _
from rfb_policy.model.witness import Act, Witness

__all__ = ["Act", "Witness", "WitnessDesk", "WitnessFolder", "WitnessRequest", "handing_files"]


@attrs.frozen(kw_only=True)
class WitnessRequest:
    """One request to a witness.

    Attributes:
        witness: who is asked.
        act: what for.
        draw_id: the ceremony's draw id.
        events: the signed events so far (the announcement first), as the witness's device
            checks them.
        file: where the office wrote ``events`` for the witness to take (an announcement for
            ``witness`` and ``commit``, every event so far for ``reveal``), or None.
    """

    witness: Witness
    act: Act
    draw_id: str
    events: Sequence[Mapping[str, Any]]
    file: Path | None = None


class WitnessDesk(Protocol):
    """How the office obtains a witness's signed statement."""

    def __call__(self, request: WitnessRequest) -> Mapping[str, Any]:
        """The witness's signed statement (the parsed JSON of their file).

        Raises:
            EOFError, KeyboardInterrupt: the witness did not give it (the ceremony is aborted).
        """
        ...


def handing_files(desk: WitnessDesk | None, folder_of: Callable[[str], Path]) -> WitnessDesk | None:
    """``desk``, with what each request is about written for the witness to take: the
    announcement (written when announced), or every event so far before a reveal
    (``events-before-reveal-WITNESS.json``, removed once answered), in the draw's folder
    ``folder_of(draw_id)``."""
    if desk is None:
        return None
    asked = desk

    def ask(request: WitnessRequest) -> Mapping[str, Any]:
        folder = folder_of(request.draw_id)
        path = folder / "announcement.json"
        if request.act != "reveal":
            return asked(attrs.evolve(request, file=path))
        path = folder / f"events-before-reveal-{request.witness.id}.json"
        write_json(path, list(request.events))
        try:
            return asked(attrs.evolve(request, file=path))
        finally:  # the record holds the same events once the draw is made
            path.unlink(missing_ok=True)

    return ask


@attrs.frozen
class WitnessFolder:
    """Takes each witness's signed file from a folder they hand it over in (a shared folder, a
    USB stick): ``DRAW-ID/WITNESS-ID-ACT.json``, waited for up to ``wait_seconds``.

    Attributes:
        folder: where the witnesses put their files.
        say: shows the officer what is awaited (a message in the run's language).
        wait_seconds: how long to wait for one file before the ceremony is aborted.
    """

    folder: Path
    say: Callable[[str], None]
    wait_seconds: float = 1800.0

    def __call__(self, request: WitnessRequest) -> Mapping[str, Any]:
        """Wait for the witness's file, then read it.

        Raises:
            EOFError: it did not come in time (the ceremony is aborted).
            InputError: it is not a signed statement.
        """
        path = self.folder / request.draw_id / f"{request.witness.id}-{request.act}.json"
        self.say(
            _("Waiting for {path} from the witness {name} (made from {file})…").format(
                path=path, name=request.witness.name, file=request.file
            ),
        )
        ends = time.monotonic() + self.wait_seconds
        while not path.exists():
            if time.monotonic() > ends:
                raise EOFError(
                    _("{path} did not come within {seconds} s").format(
                        path=path, seconds=f"{self.wait_seconds:.0f}"
                    )
                )
            time.sleep(0.2)
        time.sleep(0.2)  # a file being copied in: let it land
        try:
            return read_statement(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(
                _("{path}: cannot be read ({error})").format(path=path, error=err)
            ) from err
