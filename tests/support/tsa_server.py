"""A real RFC 3161 time-stamping authority on 127.0.0.1, for the timestamp tests.

:func:`make_tsa` makes a root CA and a TSA certificate (critical extendedKeyUsage timeStamping)
with ``openssl`` in a directory; :func:`tsa_server` serves ``openssl ts -reply`` over HTTP: each
POSTed query is piped through it and its reply sent back as ``application/timestamp-reply``.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import attrs

OPENSSL = shutil.which("openssl")

_CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.pem
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
"""


@attrs.frozen
class Tsa:
    """A TSA's files: its config, and its certificate chain (TSA certificate, then root)."""

    config: Path
    chain_pem: bytes
    url: str = ""


def _openssl(*args: str, cwd: Path) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


def make_tsa(directory: Path, name: str = "Test TSA") -> Tsa:
    """A new root CA and TSA certificate (P-256) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "tsa.cnf"
    config.write_text(_CONFIG.format(dir=directory), encoding="utf-8")
    (directory / "serial").write_text("01\n", encoding="utf-8")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
             "-subj", f"/CN={name} Root", cwd=directory)  # fmt: skip
    _openssl("req", *ec, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", f"/CN={name}",
             cwd=directory)  # fmt: skip
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "tsa.pem", "-days", "30", "-extfile", "tsa.cnf",
             "-extensions", "tsa_ext", cwd=directory)  # fmt: skip
    chain = (directory / "tsa.pem").read_bytes() + (directory / "ca.pem").read_bytes()
    return Tsa(config, chain)


@contextmanager
def tsa_server(tsa: Tsa) -> Iterator[Tsa]:
    """Serve ``tsa`` on an ephemeral port of 127.0.0.1 until the block ends."""
    assert OPENSSL is not None
    lock = threading.Lock()  # openssl ts -reply updates the serial file

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                done = subprocess.run(
                    [OPENSSL, "ts", "-reply", "-config", str(tsa.config), "-queryfile",
                     "/dev/stdin", "-out", "/dev/stdout"],
                    input=query, capture_output=True, check=False, cwd=tsa.config.parent,
                )  # fmt: skip
            status, kind = (200, "application/timestamp-reply") if done.returncode == 0 else (
                500, "text/plain")  # fmt: skip
            body = done.stdout if done.returncode == 0 else done.stderr
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield attrs.evolve(tsa, url=f"http://127.0.0.1:{server.server_port}/tsa")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
