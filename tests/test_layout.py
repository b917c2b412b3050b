"""The rules of the house about code layout (DESIGN.md, docs/ARCHITECTURE.md), checked on the
source: the core imports no content app, nothing imports in a circle (not even inside a function),
permission rules live in community/permissions, and modules stay small."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("community", "forums", "moderation", "blogs", "wiki", "cm")
CONTENT_APPS = ("forums", "moderation", "blogs", "wiki")
MAX_LINES = 450  # "split by responsibility once a file passes ~400 lines"


def modules():
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def imported(name, path, tree, known):
    """The project modules `name` imports anywhere in its source (module level or in a function),
    with the packages whose __init__ those imports run."""
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            candidates = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if not candidate or candidate == name:
                continue
            targets.add(candidate)
            parent = candidate.rpartition(".")[0]
            while parent in known and not name.startswith(parent + "."):
                targets.add(parent)
                parent = parent.rpartition(".")[0]
    return targets


@pytest.fixture(scope="module")
def graph():
    known = modules()
    return {name: imported(name, path, ast.parse(path.read_text()), known) for name, path in known.items()}


def test_the_core_imports_no_content_app(graph):
    offenders = {name: sorted(target for target in targets if target.split(".")[0] in CONTENT_APPS)
                 for name, targets in graph.items() if name.startswith("community")}
    assert {name: targets for name, targets in offenders.items() if targets} == {}


def test_no_module_imports_in_a_circle(graph):
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_permission_rules_are_raised_only_in_community_permissions():
    stray = [f"{path.relative_to(ROOT)}:{number}"
             for name, path in modules().items() if not name.startswith("community.permissions")
             for number, line in enumerate(path.read_text().splitlines(), 1) if "raise PermissionDenied" in line]
    assert stray == []


def test_modules_stay_small():
    big = {str(path.relative_to(ROOT)): count for path in modules().values()
           if (count := len(path.read_text().splitlines())) > MAX_LINES and "management/commands" not in str(path)}
    assert big == {}


def test_the_workspace_imports_no_content_app(graph):
    """The CM workspace reads the forums, spaces and wiki through the core's registries (talent
    signals, activity, featured pieces, spaces to cast into, health figures), never directly."""
    offenders = {name: sorted(target for target in targets if target.split(".")[0] in ("forums", "blogs", "wiki"))
                 for name, targets in graph.items() if name.startswith("cm")}
    assert {name: targets for name, targets in offenders.items() if targets} == {}


def test_the_spaces_and_notifications_ask_the_rules_for_roles():
    """Who is a CM, staff or a superuser, and who may be told anything, are rules: the spaces and the
    notifications ask community/permissions (waiting_comments_filter, decides_as_community_manager,
    may_choose_any_page, notified_members_filter) instead of reading the flags themselves."""
    flags = (".is_community_manager", ".is_staff", ".is_superuser", "banned_at__isnull")
    stray = [f"{path.relative_to(ROOT)}:{number}"
             for name, path in modules().items() if name.startswith(("blogs", "community.notifications"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if any(flag in line for flag in flags)]
    assert stray == []
