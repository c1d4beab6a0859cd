"""The ``rfb`` command: the office's monthly workflow. Chinese by default, ``--lang en``.

:mod:`rfb_policy.cli.app` holds the command group and what every command shares (the language,
the office's configuration and key, the one way errors end a command);
:mod:`rfb_policy.cli.commands` has one module per part of the month; :mod:`rfb_policy.cli.main`
registers them. Each command is a thin caller of :class:`rfb_policy.workflow.office.Office`.
"""
