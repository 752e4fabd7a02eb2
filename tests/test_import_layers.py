"""Imports run one way (docs/ARCHITECTURE.md): pipelines -> assets -> school_groups / synthetic.
The dashboard (``dashboards``) reads the published files through ``school_groups`` only.

``school_groups`` (and the ``synthetic`` generator beside it) is plain logic: it imports neither
``assets`` nor ``pipelines`` nor Dagster. ``assets`` holds asset definitions and may use Dagster
and the logic, never ``pipelines``. ``pipelines`` wires everything together. Every import is
read from the source (also those inside functions), so a late import cannot hide a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package -> top-level modules it must never import
FORBIDDEN = {
    "school_groups": {"assets", "pipelines", "dagster", "dagster_duckdb", "dagster_webserver", "synthetic"},
    "synthetic": {"assets", "pipelines", "dagster", "dagster_duckdb", "dagster_webserver"},
    "assets": {"pipelines"},
    # a reader of the published files: never the pipeline, its assets or Dagster
    "dashboards": {"assets", "pipelines", "dagster", "dagster_duckdb", "dagster_webserver", "synthetic"},
}


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module_parts = [package, *path.relative_to(ROOT / package).with_suffix("").parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # a relative import: resolve against the file's package
                base = module_parts[:-1] if path.name != "__init__.py" else module_parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def files_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_back_up(package):
    broken = []
    for path in files_of(package):
        for line, name in imported_modules(path, package):
            if name.split(".")[0] in FORBIDDEN[package]:
                broken.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not broken, "imports that run back up the layers:\n" + "\n".join(broken)


def test_the_rule_catches_a_late_relative_import(tmp_path, monkeypatch):
    # a file inside assets/ that imports pipelines from inside a function is caught
    fake = ROOT / "assets" / "raw" / "assets.py"
    tree_source = "def f():\n    from pipelines.resources import build_resources\n    from ..checks import run_checks\n"
    probe = tmp_path / "probe.py"
    probe.write_text(tree_source)
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: tree_source if self == fake else
                        Path.read_bytes(self).decode(encoding or "utf-8"))
    names = [name for _, name in imported_modules(fake, "assets")]
    assert names == ["pipelines.resources", "assets.checks"]
