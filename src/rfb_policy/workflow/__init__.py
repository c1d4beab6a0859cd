"""The office's monthly workflow over its store: the configuration and folder, the records in
the store, the ceremony run, the draw's files, and the :class:`~.office.Office` service with a
method per step; the demo runs those same steps."""
