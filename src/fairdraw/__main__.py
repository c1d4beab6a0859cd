"""``python -m fairdraw``: the same as the ``fairdraw`` command."""

from fairdraw.cli.main import main

main()
