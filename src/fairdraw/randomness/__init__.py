"""Sources of public randomness and their verification.

One module per source: :mod:`fairdraw.randomness.drand` (drand beacons, BLS signatures) and
:mod:`fairdraw.randomness.nist` (NIST Beacon 2.0 pulses, RSA signatures). Verification is always
on: a value whose signature fails is rejected, never used.
"""
