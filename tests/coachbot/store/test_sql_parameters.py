"""Static check: every SQL statement in coachbot/store is built from fixed text, and values
travel only as parameters (`?`).

The SQL argument of each `execute` / `executemany` / `executescript` / `fetch` call is traced back
through local variables, `sql += ...`, loops over fixed tuples and helper functions that pass
their `sql` parameter on whole (their callers are then checked the same way). It may only be
made of:
- string literals, joined with `+` or implicit concatenation;
- f-strings whose every interpolation reads nothing but module-level constants (`_COLUMNS`,
  `_SLICE_KEY[...]`, `", ".join("d." + c for c in _COLUMNS.split(", "))`), or is `int(...)`,
  a value formatted as an integer (`{limit:d}`), or `_identifier(...)`, which quotes table
  names read from `sqlite_master`;
- migration statements, which are the package's own `.sql` files.
A function parameter or any other variable inside the text, `%` formatting and `.format()`
are refused.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

STORE = Path(__file__).resolve().parents[3] / "coachbot" / "store"
SQL_CALLS = frozenset({"execute", "executemany", "executescript", "fetch", "fetchval"})
SAFE_CALLS = frozenset({"int", "_identifier", "_identifiers"})
TRUSTED_LOOP_SOURCES = frozenset({"_statements"})  # migrations: the package's own .sql files
# rewrites that keep fixed text fixed: `?` -> `$1` for PostgreSQL (dialect.py)
TRANSPARENT_CALLS = frozenset({"numbered_placeholders"})


@dataclass
class Module:
    path: Path
    tree: ast.Module
    constants: set[str] = field(default_factory=set)  # module-level names of fixed values


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def reads_only_constants(module: Module, node: ast.AST) -> bool:
    """Does `node` read no variable but module constants (and its own loop variables)?"""
    own = {
        target.id
        for comp in ast.walk(node)
        if isinstance(comp, ast.comprehension)
        for target in ast.walk(comp.target)
        if isinstance(target, ast.Name)
    }
    names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
    callables = {
        n.func.id
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    return all(n in module.constants or n in own or n in callables for n in names)


def fixed(module: Module, node: ast.AST) -> bool:
    """A value that reads only constants; an entry of a constant table counts whatever the key
    (`_SLICE_KEY[dimension]` is one of the table's fixed fragments, or a KeyError)."""
    if isinstance(node, ast.Subscript):
        return fixed(module, node.value)
    return reads_only_constants(module, node)


def load(path: Path) -> Module:
    module = Module(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    for statement in module.tree.body:  # in order: a constant may be built from earlier ones
        if isinstance(statement, ast.Import | ast.ImportFrom):  # code, not data
            module.constants.update((a.asname or a.name).split(".")[0] for a in statement.names)
        elif isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            module.constants.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if reads_only_constants(module, statement.value):
                module.constants.update(t.id for t in targets if isinstance(t, ast.Name))
    return module


def _fstring_ok(module: Module, node: ast.JoinedStr, local_ok=lambda name: False) -> bool:
    """Is every interpolation fixed? `local_ok` vouches for local names bound to fixed text."""
    for part in node.values:
        if not isinstance(part, ast.FormattedValue):
            continue
        value, spec = part.value, part.format_spec
        if spec is not None and ast.unparse(spec).strip("f'\"") in ("d", ":d"):
            continue  # formatted as an integer: digits only
        if isinstance(value, ast.Call) and getattr(value.func, "id", None) in SAFE_CALLS:
            continue
        if isinstance(value, ast.Name) and local_ok(value.id):
            continue
        if not fixed(module, value):
            return False
    return True


class Tracer:
    """Decides whether an expression holds only fixed SQL text, within one function."""

    def __init__(self, module: Module, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.module = module
        self.function = function
        self.parameters = {a.arg for a in function.args.args + function.args.kwonlyargs}
        self.passed_on: set[str] = set()  # parameters used whole as SQL: check the callers

    def safe(self, node: ast.AST, seen: frozenset[str] = frozenset(), *, top: bool = False) -> bool:
        if _is_text(node):
            return True
        if isinstance(node, ast.JoinedStr):
            return _fstring_ok(self.module, node, lambda name: self._local(name, seen))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.safe(node.left, seen) and self.safe(node.right, seen)
        if isinstance(node, ast.Subscript | ast.Attribute):
            return fixed(self.module, node)
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in TRANSPARENT_CALLS
            and len(node.args) == 1
        ):
            return self.safe(node.args[0], seen, top=top)
        if isinstance(node, ast.Name):
            if node.id in self.parameters:
                if top:  # the whole statement comes from the caller: a helper like _rows
                    self.passed_on.add(node.id)
                return top
            return node.id in self.module.constants or self._local(node.id, seen)
        return False  # calls (.format), % formatting...: not provably fixed

    def _local(self, name: str, seen: frozenset[str]) -> bool:
        if name in seen or name in self.module.constants:
            return True
        if name in self.parameters:
            return False
        sources = list(self._bindings(name))
        return bool(sources) and all(self._binding_safe(s, seen | {name}) for s in sources)

    def _bindings(self, name: str):
        for node in ast.walk(self.function):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                yield ("value", node.value)
            elif isinstance(node, ast.AnnAssign | ast.AugAssign) and (
                isinstance(node.target, ast.Name) and node.target.id == name
            ):
                if node.value is not None:
                    yield ("value", node.value)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and (
                isinstance(node.target, ast.Name) and node.target.id == name
            ):
                yield ("loop", node.iter)

    def _binding_safe(self, source: tuple[str, ast.AST], seen: frozenset[str]) -> bool:
        kind, node = source
        if kind == "value":
            return self.safe(node, seen)
        if isinstance(node, ast.Tuple | ast.List):
            return all(self.safe(e, seen) for e in node.elts)
        return isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
            TRUSTED_LOOP_SOURCES
        )


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _sql_argument(call: ast.Call, position: int) -> ast.AST | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg in ("sql", "query")), None)


def problems_in(module: Module) -> list[str]:
    """Every SQL argument in the module that is not provably fixed text."""
    problems: list[str] = []
    sinks: dict[str, int] = {}  # helper name -> position of its SQL parameter
    functions = list(_functions(module.tree))
    changed = True
    while changed:  # helpers that pass their parameter on make their callers sinks too
        changed = False
        problems = []
        for function in functions:
            tracer = Tracer(module, function)
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
                if name in SQL_CALLS:
                    position = 0
                elif name in sinks:
                    position = sinks[name]
                else:
                    continue
                argument = _sql_argument(call, position)
                if argument is not None and not tracer.safe(argument, top=True):
                    where = f"{module.path.name}:{call.lineno}"
                    problems.append(f"{where}: SQL built from values: {ast.unparse(argument)}")
            for parameter in tracer.passed_on:
                arguments = [a.arg for a in function.args.args]
                position = arguments.index(parameter) - (arguments[:1] == ["self"])
                if sinks.get(function.name) != position:
                    sinks[function.name] = position
                    changed = True
    for node in ast.walk(module.tree):  # no %-formatted or .format()-ed SQL anywhere
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and _looks_like_sql(node.left)
        ):
            problems.append(f"{module.path.name}:{node.lineno}: % formatting of SQL")
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", None) == "format"
            and _looks_like_sql(node.func.value)  # type: ignore[attr-defined]
        ):
            problems.append(f"{module.path.name}:{node.lineno}: .format() of SQL")
    return problems


SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "PRAGMA ", " WHERE ", "CREATE ")


def _looks_like_sql(node: ast.AST) -> bool:
    return _is_text(node) and any(w in node.value.upper() for w in SQL_WORDS)  # type: ignore[attr-defined]


MODULES = sorted(STORE.glob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_sql_is_fixed_text_with_parameters(path):
    assert problems_in(load(path)) == []


BAD = {
    "f-string with a value": (
        "async def f(db, name):\n    await db.execute(f\"SELECT * FROM t WHERE n = '{name}'\")\n"
    ),
    "concatenated value": (
        'async def f(db, name):\n    await db.execute("SELECT * FROM t WHERE n = " + name)\n'
    ),
    "percent": (
        'async def f(db, name):\n    await db.execute("SELECT * FROM t WHERE n = %s" % name)\n'
    ),
    "format": (
        "async def f(db, name):\n"
        '    await db.execute("SELECT * FROM t WHERE n = {}".format(name))\n'
    ),
    "via a local": (
        'async def f(db, name):\n    sql = "SELECT 1"\n    sql += name\n    await db.execute(sql)\n'
    ),
    "via a helper": (
        "class S:\n"
        "    async def _rows(self, sql, params=()):\n"
        "        return await self.db.execute(sql, params)\n"
        "    async def get(self, name):\n"
        '        return await self._rows(f"SELECT * FROM {name}")\n'
    ),
    "a local from input": (
        "async def f(db, request):\n"
        "    table = request.table\n"
        '    await db.execute(f"SELECT * FROM {table}")\n'
    ),
}
GOOD = {
    "parameters": (
        'async def f(db, name):\n    await db.execute("SELECT * FROM t WHERE n = ?", (name,))\n'
    ),
    "a column list": (
        '_COLUMNS = "a, b"\n'
        "async def f(db):\n"
        "    await db.execute(\n"
        """        f"SELECT {', '.join('t.' + c for c in _COLUMNS.split(', '))} FROM t"\n"""
        "    )\n"
    ),
    "built up": (
        "async def f(db, x):\n"
        '    sql = "SELECT 1"\n'
        "    if x:\n"
        '        sql += " AND y = ?"\n'
        '    await db.execute(sql + " ORDER BY 1", (x,))\n'
    ),
}


@pytest.mark.parametrize("source", BAD.values(), ids=BAD.keys())
def test_the_check_catches_sql_built_from_values(tmp_path, source):
    path = tmp_path / "bad.py"
    path.write_text(source)
    assert problems_in(load(path)), "the checker let this through"


@pytest.mark.parametrize("source", GOOD.values(), ids=GOOD.keys())
def test_the_check_accepts_parameterised_sql(tmp_path, source):
    path = tmp_path / "good.py"
    path.write_text(source)
    assert problems_in(load(path)) == []


def test_the_check_reads_the_real_store():
    """Guard: the scan finds the store's modules and their SQL calls."""
    calls = [
        node
        for path in MODULES
        for node in ast.walk(load(path).tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in SQL_CALLS
    ]
    assert {"database.py", "asks.py", "quiz.py"} <= {p.name for p in MODULES}
    assert len(calls) >= 40
