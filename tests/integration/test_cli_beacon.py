"""``fairdraw beacon verify``, run as a real process on the real beacons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fairdraw_cli import run

VECTORS = Path(__file__).parents[1] / "vectors"
DRAND: dict[str, Any] = json.loads((VECTORS / "drand" / "beacons.json").read_text())
NIST = VECTORS / "nist"


def drand_args(beacon: dict[str, Any]) -> list[str]:
    chain = "default" if beacon["chain"] == "testnet-default" else beacon["chain"]
    args = ["beacon", "verify", "drand", "--chain", chain, "--round", str(beacon["round"])]
    args += ["--signature", beacon["signature"]]
    if "previous_signature" in beacon:
        args += ["--previous-signature", beacon["previous_signature"]]
    return args


@pytest.mark.parametrize(
    "beacon",
    [b for b in DRAND["beacons"] if b["chain"] != "testnet-default"],
    ids=lambda b: f"{b['chain']}-{b['round']}",
)
def test_valid_drand_beacon(beacon: dict[str, Any]) -> None:
    result = run(*drand_args(beacon), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["randomness"] == beacon.get("randomness", report["randomness"])
    assert report["chain_hash"] == DRAND["chains"][beacon["chain"]]["hash"]
    human = run(*drand_args(beacon))
    assert "Valid" in human.stdout and report["randomness"] in human.stdout


@pytest.mark.parametrize(
    "beacon", DRAND["negative_cases"], ids=lambda b: f"{b['chain']}-{b['round']}"
)
def test_invalid_drand_beacon_exits_4(beacon: dict[str, Any]) -> None:
    result = run(*drand_args(beacon), "--json")
    assert result.returncode == 4
    report = json.loads(result.stdout)
    assert report["valid"] is False and "does not verify" in report["reason"]
    human = run(*drand_args(beacon), lang="zh")
    assert human.returncode == 4 and "无效" in human.stderr


def test_malformed_drand_input_exits_3() -> None:
    result = run("beacon", "verify", "drand", "--round", "5", "--signature", "zz")
    assert result.returncode == 3
    assert "hexadecimal" in result.stderr


def test_nist_pulse_with_previous() -> None:
    result = run(
        "beacon", "verify", "nist", str(NIST / "pulse_2_1921300.json"),
        "--certificate", str(NIST / "certificate_528943a5.pem"),
        "--previous", str(NIST / "pulse_2_1921299.json"), "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pulse = json.loads((NIST / "pulse_2_1921300.json").read_text())["pulse"]
    assert report["randomness"] == pulse["outputValue"].lower()
    assert report["valid"] and report["chained_to_previous"]


def test_tampered_nist_pulse_exits_4(tmp_path: Path) -> None:
    data = json.loads((NIST / "pulse_2_1921300.json").read_text())
    data["pulse"]["localRandomValue"] = "00" * 64
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(data))
    result = run(
        "beacon",
        "verify",
        "nist",
        str(path),
        "--certificate",
        str(NIST / "certificate_528943a5.pem"),
    )
    assert result.returncode == 4
    assert "signature" in result.stderr


def test_nist_bad_files_exit_3(tmp_path: Path) -> None:
    cert = str(NIST / "certificate_528943a5.pem")
    assert (
        run(
            "beacon", "verify", "nist", str(tmp_path / "none.json"), "--certificate", cert
        ).returncode
        == 3
    )
    (tmp_path / "x.json").write_text("[]")
    assert (
        run("beacon", "verify", "nist", str(tmp_path / "x.json"), "--certificate", cert).returncode
        == 3
    )
    pulse = str(NIST / "pulse_2_1921300.json")
    bad_cert = tmp_path / "c.pem"
    bad_cert.write_text("nope")
    assert run("beacon", "verify", "nist", pulse, "--certificate", str(bad_cert)).returncode == 3
