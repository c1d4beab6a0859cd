"""The ``rfb`` commands, one module per part of the month.

:mod:`rfb_policy.cli.main` registers them.
"""
