"""The one ``Definitions`` of the project (``dagster dev``, ``dg`` and workspace.yaml load ``defs``),
built from the settings the environment gives (``school_groups.settings.load_settings``)."""

from .build import build_defs

defs = build_defs()
