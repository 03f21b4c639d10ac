"""docgen: contracts, forms and service reports for IT-outsourcing vendor management.

Use it as a library through `docgen.Project` (see docgen.project):

    import docgen
    project = docgen.Project.load("path/to/project")
    result = project.build(project.plan(project.validate()))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["BuildResult", "DocgenError", "InputError", "Plan", "Project", "ProjectConfig", "__version__"]

if TYPE_CHECKING:
    from .build import BuildResult
    from .config import ProjectConfig
    from .errors import DocgenError, InputError
    from .plan import Plan
    from .project import Project


def __getattr__(name: str) -> Any:
    """The public names, imported when first used, so that `docgen --help` starts fast."""
    from importlib import import_module

    homes = {"Project": "project", "ProjectConfig": "config", "Plan": "plan", "BuildResult": "build",
             "DocgenError": "errors", "InputError": "errors"}
    if name in homes:
        return getattr(import_module(f".{homes[name]}", __name__), name)
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")
