"""Imports run one way: no cycle among harness's modules, counting imports inside functions too, and the
lazy front doors' `_EXPORTS` tables (harness.lazy) as the imports they make when a name is used."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "harness"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def lazy_targets(node: ast.AST, package: str) -> set[str]:
    """The modules of an `_EXPORTS = {"name": ".module[:attr]"}` table (harness.lazy.exports)."""
    if not (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in node.targets)
            and isinstance(node.value, ast.Dict)):
        return set()
    return {package + v.value.partition(":")[0] for v in node.value.values}


def imports(path: Path, modules: set[str]) -> set[str]:
    """The harness modules `path` imports anywhere in its body (`from . import x` names module x)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        out |= lazy_targets(node, package)
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for a in node.names:
                target = f"{base}.{a.name}"
                out.add(target if target in modules else base)
    return {m for m in out if m in modules and m != name}


def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    # C extensions (built from their .c source) are modules too, and leaves
    modules = {module_name(p) for p in paths} | {module_name(p) for p in PACKAGE.rglob("*.c")}
    g = {m: set() for m in modules}
    g.update({module_name(p): imports(p, modules) for p in paths})
    return g


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(g[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(g):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycle():
    g = graph()
    # the package's front door imports everything; everything else must form a DAG
    del g["harness"]
    for deps in g.values():
        deps.discard("harness")
    assert find_cycle(g) is None, " -> ".join(find_cycle(g))


def test_tokenize_is_a_leaf_and_scoring_does_not_import_statistics_code():
    g = graph()
    assert g["harness.scoring.tokenize"] == set()
    scoring = {m for m in g if m.startswith("harness.scoring")}
    reached = set()
    todo = list(scoring)
    while todo:
        for n in g[todo.pop()]:
            if n not in reached:
                reached.add(n)
                todo.append(n)
    assert not reached & {"harness.runner", "harness.pipeline", "harness.aggregate", "harness.report",
                          "harness.compare", "harness.gate", "harness.cli"}
