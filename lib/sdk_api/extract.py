"""
The public API of a generated Python SDK, read from its source with `ast`: the generated code is
never imported (it may need dependencies this Python lacks, and importing runs its code).

Run by lib/sdk_api/extract.ts as `python -c <this text> ROOT [PACKAGE]`, or as
`python -c <this text> --package DIR NAME` for a package directory itself (a vendored copy, whose
directory may be a staged one with a temporary name). Prints one JSON object:
{"api": {...}} (see lib/sdk_api/model.ts for its shape) or {"error": "...", "hint": "..."} when
ROOT holds no SDK layout this script knows. Layouts, found under ROOT:
  stainless              src/<pkg>/_client.py + src/<pkg>/resources/   (hosted Stainless)
  stainful               <pkg>/_client.py + <pkg>/resources/           (stainful)
  openapi-python-client  <pkg>/client.py + <pkg>/api/<tag>/<op>.py     (openapi-python-client)
"""

import ast
import json
import os
import sys

# Per-request options every Stainless-style method takes: not part of an operation's API.
STAINLESS_IGNORED = {"extra_headers", "extra_query", "extra_body", "timeout"}
# openapi-python-client operations are module functions that take the client as an argument.
OPC_IGNORED = {"client"}
# The functions of an openapi-python-client operation module, in the order their signature is read.
OPC_FUNCTIONS = {
    "sync": "sync",
    "asyncio": "async",
    "sync_detailed": "sync",
    "asyncio_detailed": "async",
}
SKIPPED_DIRS = {"__pycache__", "node_modules"}


class LayoutError(Exception):
    def __init__(self, message, hint=None):
        super().__init__(message)
        self.hint = hint


def python_files(directory):
    """Every .py file under `directory` (sorted, hidden and cache directories skipped)."""
    found = []
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        found.extend(os.path.join(current, f) for f in sorted(files) if f.endswith(".py"))
    return found


def parse(path, root):
    with open(path, encoding="utf-8") as file:
        source = file.read()
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as error:
        raise LayoutError(
            f"{os.path.relpath(path, root)}:{error.lineno}: this Python ({sys.version.split()[0]}) "
            f"cannot parse it: {error.msg}",
            "Point CODEGEN_PYTHON at a Python at least as new as the one the SDK targets.",
        ) from error


def simple_name(node):
    """`SyncAPIResource` for `SyncAPIResource`, `x.SyncAPIResource` and `SyncAPIResource[T]`."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def annotation_text(node):
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value  # a forward reference: "CallSchema"
    return ast.unparse(node)


def param(arg, kind, required):
    return {
        "name": arg.arg,
        "kind": kind,
        "required": required,
        "annotation": annotation_text(arg.annotation),
    }


def signature(function, ignored, is_method):
    """Parameters in declaration order (the order matters for positional ones) and return type.
    Parameters named `_x` are private (`_strict_response_validation`): not part of the API."""
    args = function.args
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    decorators = {simple_name(d) for d in function.decorator_list}
    skip_first = is_method and "staticmethod" not in decorators  # self or cls
    params = [
        param(arg, "positional", index < first_default)
        for index, arg in enumerate(positional)
        if not (skip_first and index == 0)
    ]
    if args.vararg:
        params.append(param(args.vararg, "var-positional", False))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append(param(arg, "keyword", default is None))
    if args.kwarg:
        params.append(param(args.kwarg, "var-keyword", False))
    return {
        "params": [p for p in params if p["name"] not in ignored and not p["name"].startswith("_")],
        "returns": annotation_text(function.returns),
    }


def public_methods(cls):
    """Public methods of a class; for an @overload'ed method, its implementation."""
    methods = {}
    for node in cls.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = {simple_name(d) for d in node.decorator_list}
        if node.name.startswith("_") or decorators & {"property", "cached_property"}:
            continue
        if "overload" in decorators and node.name in methods:
            continue
        methods[node.name] = node
    return methods


def add_variant(methods, name, variant, sig):
    """Records one variant (sync or async) of a method. The signature is the first one seen of the
    sync variant, else of the async one (they are generated alike)."""
    method = methods.setdefault(name, {"name": name, "sync": False, "async": False})
    if not method["sync"] and (variant == "sync" or not method["async"]):
        method.update(sig)
    method[variant] = True


def resources_json(resources):
    return [
        {"name": name, "methods": [methods[m] for m in sorted(methods)]}
        for name, methods in sorted(resources.items())
    ]


def exported_names(init_path, root):
    """Names a package's __init__.py exports: its literal __all__, else what it imports from its
    own modules (`from .x import Y`) and the classes it defines."""
    tree = parse(init_path, root)
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            try:
                return sorted(set(ast.literal_eval(node.value)))
            except ValueError:
                pass  # a computed __all__: fall back to the imports
        elif isinstance(node, ast.ImportFrom) and node.level >= 1 and node.module:
            names.update(a.asname or a.name for a in node.names if a.name != "*")
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
    return sorted(n for n in names if not n.startswith("_"))


def exports_of(package_dir, root):
    init = os.path.join(package_dir, "__init__.py")
    return exported_names(init, root) if os.path.isfile(init) else []


def stainless_resource_name(path, resources_dir):
    """`calls` for resources/calls.py and resources/calls/calls.py; `calls.batch` for
    resources/calls/batch.py (a subresource); None for __init__.py."""
    parts = os.path.relpath(path, resources_dir)[: -len(".py")].split(os.sep)
    if parts[-1] == "__init__":
        return None
    if len(parts) >= 2 and parts[-1] == parts[-2]:
        parts.pop()
    return ".".join(parts)


def constructor_params(cls):
    """The parameters of a client's own __init__ (its options and auth), or None without one."""
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return signature(node, set(), True)["params"]
    return None


RESOURCE_BASES = {"SyncAPIResource": "sync", "AsyncAPIResource": "async"}
CLIENT_BASES = {"SyncAPIClient": "sync", "AsyncAPIClient": "async"}


def variant_of(cls, bases):
    for base in cls.bases:
        if simple_name(base) in bases:
            return bases[simple_name(base)]
    return None


def stainless_api(package_dir, root):
    resources_dir = os.path.join(package_dir, "resources")
    resources = {}
    for path in python_files(resources_dir):
        name = stainless_resource_name(path, resources_dir)
        if name is None:
            continue
        for cls in parse(path, root).body:
            variant = isinstance(cls, ast.ClassDef) and variant_of(cls, RESOURCE_BASES)
            if not variant:
                continue
            methods = resources.setdefault(name, {})
            for method_name, node in public_methods(cls).items():
                add_variant(methods, method_name, variant, signature(node, STAINLESS_IGNORED, True))
    clients = []
    for cls in parse(os.path.join(package_dir, "_client.py"), root).body:
        variant = isinstance(cls, ast.ClassDef) and variant_of(cls, CLIENT_BASES)
        if variant:
            clients.append({"name": cls.name, "kind": variant, "params": constructor_params(cls)})
    return {
        "clients": sorted(clients, key=lambda c: c["name"]),
        "resources": resources_json(resources),
        "types": exports_of(os.path.join(package_dir, "types"), root),
    }


def opc_api(package_dir, root):
    api_dir = os.path.join(package_dir, "api")
    resources = {}
    for path in python_files(api_dir):
        parts = os.path.relpath(path, api_dir)[: -len(".py")].split(os.sep)
        if parts[-1] == "__init__" or len(parts) < 2:
            continue
        functions = {
            node.name: node
            for node in parse(path, root).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        methods = resources.setdefault(".".join(parts[:-1]), {})
        for function_name, variant in OPC_FUNCTIONS.items():
            if function_name in functions:
                sig = signature(functions[function_name], OPC_IGNORED, False)
                add_variant(methods, parts[-1], variant, sig)
    clients = [
        # One client class serves both function kinds; its attrs-made constructor is not read.
        {"name": node.name, "kind": "sync+async", "params": constructor_params(node)}
        for node in parse(os.path.join(package_dir, "client.py"), root).body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    ]
    return {
        "clients": sorted(clients, key=lambda c: c["name"]),
        "resources": resources_json(resources),
        "types": exports_of(os.path.join(package_dir, "models"), root),
    }


def layout_of(package_dir, in_src):
    def has(name, is_dir=False):
        path = os.path.join(package_dir, name)
        return os.path.isdir(path) if is_dir else os.path.isfile(path)

    if has("_client.py") and has("resources", True):
        return "stainless" if in_src else "stainful"
    if has("client.py") and has("api", True):
        return "openapi-python-client"
    return None


def find_packages(root):
    """(layout, package name, path relative to root) of every SDK package under root and src/."""
    found = []
    for base, in_src in ((os.path.join(root, "src"), True), (root, False)):
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            package_dir = os.path.join(base, name)
            if not name.isidentifier() or not os.path.isfile(
                os.path.join(package_dir, "__init__.py")
            ):
                continue
            layout = layout_of(package_dir, in_src)
            if layout:
                found.append((layout, name, os.path.relpath(package_dir, root)))
    return found


def choose_package(root, wanted):
    found = find_packages(root)
    if not found:
        raise LayoutError(
            f"no Python SDK package found in {root}",
            "Expected src/<pkg>/_client.py with src/<pkg>/resources/ (Stainless), "
            "<pkg>/_client.py with <pkg>/resources/ (stainful), or <pkg>/client.py with "
            "<pkg>/api/ (openapi-python-client).",
        )
    if len(found) == 1:
        return found[0]
    named = [f for f in found if f[1] == wanted]
    if len(named) == 1:
        return named[0]
    listing = ", ".join(f"{path} ({layout})" for layout, _, path in found)
    raise LayoutError(
        f"several Python SDK packages in {root}: {listing}",
        "Name the one to read with the package name (targets.python.package_name).",
    )


def extract(root, wanted):
    layout, name, path = choose_package(root, wanted)
    package_dir = os.path.join(root, path)
    read = opc_api if layout == "openapi-python-client" else stainless_api
    return {"layout": layout, "package": name, "packageDir": path, **read(package_dir, root)}


def extract_package(package_dir, name):
    """A package directory read as it is (`name` is its import name): a vendored copy has no
    src/ above it, so a Stainless package reads as the stainful layout (the same shape)."""
    layout = layout_of(package_dir, False)
    if not layout or not os.path.isfile(os.path.join(package_dir, "__init__.py")):
        raise LayoutError(
            f"{package_dir} is not a Python SDK package",
            "Expected __init__.py with _client.py and resources/ (Stainless, stainful), or "
            "client.py and api/ (openapi-python-client).",
        )
    read = opc_api if layout == "openapi-python-client" else stainless_api
    return {"layout": layout, "package": name, "packageDir": ".", **read(package_dir, package_dir)}


def main():
    package_mode = sys.argv[1] == "--package"
    args = sys.argv[2:] if package_mode else sys.argv[1:]
    root = args[0]
    wanted = args[1] if len(args) > 1 else None
    if sys.version_info < (3, 9):  # noqa: UP036 (any python3 on PATH may run this)
        result = {"error": f"Python {sys.version.split()[0]} is too old to read SDK sources"}
        result["hint"] = "Set CODEGEN_PYTHON to a Python 3.9 or newer."
    else:
        try:
            api = extract_package(root, wanted) if package_mode else extract(root, wanted)
            result = {"api": api}
        except LayoutError as error:
            result = {"error": str(error), "hint": error.hint}
    json.dump(result, sys.stdout, sort_keys=True)


main()
