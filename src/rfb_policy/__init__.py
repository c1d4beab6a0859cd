"""rfb_policy: the Xicheng District civil air defense office's 双随机、一公开 plan as code.

This package holds the office's rules (inspection items, ratios, schedule, groups, conflicts of
interest, publication). It builds on fairdraw's public API only. The rules arrive in a later
release; for now the package is an importable placeholder so that the distribution's layout is
stable.
"""

__all__: list[str] = []
