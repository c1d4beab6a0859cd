"""Fetching beacon values over HTTP: drand relays and the NIST Beacon, with timeouts and retries.

Every value fetched is verified before it is returned; a relay that answers with a value that
does not verify (a wrong round, another chain, a forged signature, garbage) is treated like a
relay that did not answer, and the next relay is tried. When no relay gives a valid value, the
error says what each one did. The standard library's HTTP client is enough here: the requests
are a handful of small GETs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from fairdraw.errors import FairdrawError, SourceUnavailableError, VerificationError
from fairdraw.i18n import _
from fairdraw.randomness.drand import DrandBeacon, DrandChain
from fairdraw.randomness.nist import NistPulse, load_certificate, verify_pulse

__all__ = [
    "DEFAULT_DRAND_RELAYS",
    "DEFAULT_NIST_BASE",
    "DrandClient",
    "FetchedPulse",
    "NistClient",
]

DEFAULT_DRAND_RELAYS = (
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://api3.drand.sh",
    "https://drand.cloudflare.com",
)
DEFAULT_NIST_BASE = "https://beacon.nist.gov/beacon/2.0"
_MAX_BYTES = 1 << 20

T = TypeVar("T")


@attrs.frozen
class _Http:
    timeout: float
    retries: int
    backoff: float

    def get(self, url: str) -> bytes:
        """GET ``url``; retry transient failures; raise SourceUnavailableError at the end."""
        import urllib.error  # noqa: PLC0415 (urllib.request loads http, email and ssl: slow)
        import urllib.request  # noqa: PLC0415

        last = _("no attempt")
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            request = urllib.request.Request(url, headers={"User-Agent": "fairdraw"})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    body: bytes = response.read(_MAX_BYTES + 1)
                if len(body) > _MAX_BYTES:
                    raise SourceUnavailableError(
                        _("{url}: the answer is over 1 MiB").format(url=url)
                    )
                return body
            except urllib.error.HTTPError as err:
                last = f"HTTP {err.code}"
                if err.code < 500 and err.code != 429:
                    break  # the relay will not change its mind
            except (urllib.error.URLError, TimeoutError, OSError) as err:
                reason = getattr(err, "reason", err)
                last = _("no answer ({reason})").format(reason=reason)
        raise SourceUnavailableError(_("{url}: {last}").format(url=url, last=last))


def _first_valid(urls: Sequence[str], attempt: Callable[[str], T], what: str) -> T:
    problems = []
    invalid = False
    for url in urls:
        try:
            return attempt(url)
        except VerificationError as err:
            invalid = True
            problems.append(_("{url}: rejected: {err}").format(url=url, err=err))
        except FairdrawError as err:
            problems.append(str(err))
    message = _("no valid {what} from any source: {problems}").format(
        what=what, problems=_("; ").join(problems)
    )
    if invalid:
        raise VerificationError(message)
    raise SourceUnavailableError(message)


def _as_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as err:
        raise VerificationError(_("{url}: the answer is not JSON").format(url=url)) from err


@attrs.frozen(kw_only=True)
class DrandClient:
    """Fetch and verify beacons of one pinned drand chain from a list of relays.

    Attributes:
        chain: the pinned chain (``DrandChain.quicknet()``, ``DrandChain.default()``).
        relays: relay base URLs, tried in order.
        timeout: seconds per request.
        retries: extra attempts per relay for transient failures (timeouts, HTTP 5xx, 429).
        backoff: seconds before the first retry, doubled each time.
    """

    chain: DrandChain
    relays: tuple[str, ...] = attrs.field(default=DEFAULT_DRAND_RELAYS, converter=_as_tuple)
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5

    def beacon(self, number: int) -> DrandBeacon:
        """The verified beacon of round ``number``.

        Raises:
            SourceUnavailableError: no relay answered (try later: the round may not be out yet).
            VerificationError: relays answered, but no answer verified.
        """
        http = _Http(self.timeout, self.retries, self.backoff)

        def attempt(relay: str) -> DrandBeacon:
            url = f"{relay.rstrip('/')}/{self.chain.chain_hash.hex()}/public/{number}"
            data = _json(http.get(url), url)
            if not isinstance(data, dict):
                raise VerificationError(
                    _("{url}: the answer is not a beacon object").format(url=url)
                )
            try:
                beacon = DrandBeacon.from_json(data)
            except FairdrawError as err:
                raise VerificationError(_("{url}: {err}").format(url=url, err=err)) from err
            if beacon.round != number:
                raise VerificationError(
                    _("{url}: asked for round {number}, got {round}").format(
                        url=url, number=number, round=beacon.round
                    )
                )
            self.chain.verify(beacon)
            return beacon

        return _first_valid(
            self.relays,
            attempt,
            _("drand {chain} round {round}").format(chain=self.chain.name, round=number),
        )


@attrs.frozen
class FetchedPulse:
    """A verified NIST pulse, as parsed and as served, and its certificate.

    Attributes:
        pulse: the parsed pulse.
        raw: the pulse object exactly as NIST served it (what a record keeps).
        certificate_pem: the certificate that signed it.
    """

    pulse: NistPulse
    raw: dict[str, Any]
    certificate_pem: str


@attrs.frozen(kw_only=True)
class NistClient:
    """Fetch and verify NIST Beacon 2.0 pulses and their certificates.

    Attributes:
        base: the beacon's API base URL.
        timeout, retries, backoff: as for :class:`DrandClient`.
    """

    base: str = DEFAULT_NIST_BASE
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5

    def pulse(self, chain_index: int, pulse_index: int) -> FetchedPulse:
        """The verified pulse and the PEM of the certificate that signed it.

        Raises:
            SourceUnavailableError: the beacon did not answer.
            VerificationError: it answered, but the pulse or certificate does not verify.
        """
        http = _Http(self.timeout, self.retries, self.backoff)
        base = self.base.rstrip("/")

        def attempt(url: str) -> FetchedPulse:
            data = _json(http.get(url), url)
            if not isinstance(data, dict) or not isinstance(data.get("pulse", data), dict):
                raise VerificationError(
                    _("{url}: the answer is not a pulse object").format(url=url)
                )
            try:
                pulse = NistPulse.from_json(data)
            except FairdrawError as err:
                raise VerificationError(_("{url}: {err}").format(url=url, err=err)) from err
            if (pulse.chain_index, pulse.pulse_index) != (chain_index, pulse_index):
                raise VerificationError(
                    _(
                        "{url}: asked for pulse {chain_index}/{pulse_index}, got "
                        "{chain_index2}/{pulse_index2}"
                    ).format(
                        url=url,
                        chain_index=chain_index,
                        pulse_index=pulse_index,
                        chain_index2=pulse.chain_index,
                        pulse_index2=pulse.pulse_index,
                    )
                )
            pem = http.get(f"{base}/certificate/{pulse.certificate_id.hex()}").decode("ascii")
            try:
                verify_pulse(pulse, load_certificate(pem.encode()))
            except FairdrawError as err:
                raise VerificationError(_("{url}: {err}").format(url=url, err=err)) from err
            return FetchedPulse(pulse=pulse, raw=data.get("pulse", data), certificate_pem=pem)

        url = f"{base}/chain/{chain_index}/pulse/{pulse_index}"
        return _first_valid(
            [url],
            attempt,
            _("NIST pulse {chain_index}/{pulse_index}").format(
                chain_index=chain_index, pulse_index=pulse_index
            ),
        )
