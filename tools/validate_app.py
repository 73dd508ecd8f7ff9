"""Index a function app with the real Python worker library, as `func start` does, print each
function's bindings, and exit non-zero on an indexing error or a binding setting the app lacks.

Opt-in (`make validate-app [APP=dir]`): it runs in its own venv (.venv-worker) because the worker
library (azure-functions-runtime) declares Python >= 3.13 and is installed here with
--ignore-requires-python; see /work/shared/reference/durable-host-protocol.md section 11.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import tempfile
import types
import zipfile
from pathlib import Path
from typing import Any

# The generated FunctionRpc messages are not in the worker wheel (the host's proxy worker passes
# them in); this wheel ships them under tests/protos.
PROTOS_WHEEL = "azure-functions-runtime-v1==1.2.0"
PROTOS_DIR = Path(sys.prefix) / "protos"


def install_protos() -> None:
    """Extract the FunctionRpc protobuf package into PROTOS_DIR/fxprotos, without the grpc stubs."""
    target = PROTOS_DIR / "fxprotos"
    if (target / "__init__.py").exists():
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "--no-deps", "--only-binary=:all:", "--python-version", "3.13", PROTOS_WHEEL,
             "--dest", tmp],
            check=True,
        )  # fmt: skip
        with zipfile.ZipFile(next(Path(tmp).glob("*.whl"))) as wheel:
            for name in wheel.namelist():
                if name.startswith("tests/protos/") and not name.endswith("/"):
                    path = target / name.removeprefix("tests/protos/")
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(wheel.read(name))
    init = target / "__init__.py"
    # Only the grpc service stubs need grpcio; the messages the worker uses do not.
    init.write_text(re.sub(r"from \.FunctionRpc_pb2_grpc import \([^)]*\)\n", "", init.read_text()))


def worker_request(protos: Any, **request: Any) -> Any:
    """Wrap a request as the proxy worker does: ``.request.<kind>`` plus ``.properties``."""
    return types.SimpleNamespace(
        request=types.SimpleNamespace(**request),
        properties={"host": "127.0.0.1", "protos": protos},
    )


async def index(app_dir: Path) -> list[Any]:
    """WorkerInitRequest then FunctionsMetadataRequest; raise SystemExit with the worker's error."""
    sys.path.insert(0, str(PROTOS_DIR))
    import azure_functions_runtime as worker
    import fxprotos as protos

    init = protos.WorkerInitRequest(host_version="4.0.0", function_app_directory=str(app_dir))
    response = await worker.worker_init_request(worker_request(protos, worker_init_request=init))
    if response.result.status != protos.StatusResult.Success:
        raise SystemExit(f"indexing failed: {response.result.exception.message}")
    metadata = await worker.functions_metadata_request(
        worker_request(protos, functions_metadata_request=protos.FunctionsMetadataRequest())
    )
    return list(metadata.function_metadata_results)


def unset_settings(bindings: list[dict[str, Any]], values: dict[str, str]) -> set[str]:
    """App settings the bindings need that local.settings.json.example lacks: each ``connection``
    (a connection string, or the identity form ``<name>__fullyQualifiedNamespace``) and each
    ``%NAME%`` the host resolves from settings."""
    connections = {b["connection"] for b in bindings if b.get("connection")}
    expressions = {m for b in bindings for v in b.values() for m in re.findall(r"%(\w+)%", str(v))}
    unset = {n for n in connections if f"{n}__fullyQualifiedNamespace" not in values}
    return {n for n in unset | expressions if n not in values}


def example_values(app_dir: Path) -> dict[str, str] | None:
    example = app_dir / "local.settings.json.example"
    return json.loads(example.read_text())["Values"] if example.exists() else None


def describe(function: Any) -> list[dict[str, Any]]:
    """Print one function's name and bindings; return the bindings."""
    bindings = [json.loads(raw) for raw in function.raw_bindings]
    print(f"{function.name}  ({function.script_file}:{function.entry_point})")
    for b in bindings:
        rest = {k: v for k, v in b.items() if k not in ("direction", "type")}
        print(f"    {b['direction']:<5} {b['type']:<22} {rest}")
    return bindings


def main(argv: list[str]) -> int:
    app_dir = Path(argv[0] if argv else ".").resolve()
    if not (app_dir / "function_app.py").exists():
        print(f"no function_app.py in {app_dir}", file=sys.stderr)
        return 2
    install_protos()
    sys.path[0] = str(app_dir)  # the app folder, not tools/, heads the path as under the host
    functions = asyncio.run(index(app_dir))
    bindings = [b for function in functions for b in describe(function)]
    print(f"{len(functions)} function(s) indexed from {app_dir / 'function_app.py'}")
    values = example_values(app_dir)
    unset = unset_settings(bindings, values) if values is not None else set()
    for name in sorted(unset):
        print(f"setting {name!r} is used by a binding but not in local.settings.json.example")
    return 1 if unset else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
