"""The direction of dependency: the case core publishes its steps and the apps around it
observe them, so no lower layer imports a higher one. Read from the source of every module
(function-level imports included); tests and migrations are left out."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # hearline/
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())

# (importing app, imported apps, why): none of these imports may exist.
NEVER = [
    (
        "cases",
        {
            "analytics",
            "incidents",
            "knowledge",
            "notify",
            "triage",
            "sla",
            "improvement",
            "web",
            "api",
            "channels",
            "open311",
        },
        "the case publishes its steps; the apps around it observe them",
    ),  # fmt: skip
    ("core", set(APPS) - {"core"}, "the base knows no app"),
    ("accounts", {"cases", "web"}, "the organisation is below the cases and knows no screen"),
    ("analytics", {"web", "channels"}, "reports are data; screens draw them"),
    ("sla", {"web", "channels"}, "time limits know no screen or channel"),
    ("knowledge", {"web"}, "articles know no screen"),
    ("triage", {"web"}, "models know no screen"),
    ("notify", {"channels"}, "messages know no inbound channel"),
]


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _imported_apps(path: Path) -> set[str]:
    """The hearline apps a module imports, at its top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(ROOT.parent).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module] if node.module else base)]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "hearline" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize(("app", "forbidden", "why"), NEVER, ids=[rule[0] for rule in NEVER])
def test_no_lower_layer_imports_a_higher_one(app, forbidden, why):
    broken = [
        f"{path.relative_to(ROOT.parent)} imports hearline.{other} ({why})"
        for path in _modules(app)
        for other in sorted(_imported_apps(path) & forbidden)
    ]
    assert broken == []


def test_the_rules_read_real_imports():
    """The reader finds an import where there is one (the rules could not fail otherwise)."""
    assert "cases" in _imported_apps(ROOT / "incidents" / "observers.py")
    assert "accounts" in _imported_apps(ROOT / "cases" / "queries.py")


@pytest.mark.parametrize(
    "module", ["hearline.cases.workflow", "hearline.cases.steps", "hearline.sla.calendar"]
)
def test_the_pure_domain_modules_import_no_django(module):
    """The lifecycle table, the step stream and working-time arithmetic are plain Python:
    importing one loads no Django (checked in a fresh interpreter)."""
    import subprocess
    import sys

    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('django')))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT.parent
    )
    assert found.stdout.strip() == "[]"
