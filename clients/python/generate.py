"""Regenerates ``src/noetl_gateway_client/generated`` from the gateway's ``openapi/openapi.json``.

    python clients/python/generate.py

Runs openapi-python-client (the version pinned in ``requirements-dev.txt``) with ``generator.yaml``.
It generates into a fresh temporary directory and then replaces the committed package, so the output
never depends on what was there before; ``tests/test_generated.py`` generates the same way and fails
when the committed code differs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE.parent.parent / "openapi" / "openapi.json"
CONFIG = HERE / "generator.yaml"
GENERATED = HERE / "src" / "noetl_gateway_client" / "generated"


def generate(destination: Path, document: Path = DOCUMENT) -> None:
    """Writes the generated package for ``document`` to ``destination`` (replaced if it exists)."""
    # The generator's post hooks run `ruff` from PATH: the one installed beside this interpreter.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory(prefix="noetl-gateway-client-") as scratch:
        output = Path(scratch) / "generated"
        command = [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(document),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(output),
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        # The generator reports operations it cannot express (the opaque /noetl/* proxy answers, push
        # ingress) as warnings and still exits 0; a real failure leaves no package.
        if result.returncode != 0 or not (output / "__init__.py").is_file():
            raise RuntimeError(
                f"openapi-python-client failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        shutil.rmtree(destination, ignore_errors=True)
        shutil.copytree(output, destination, ignore=shutil.ignore_patterns("__pycache__"))


if __name__ == "__main__":
    generate(GENERATED)
    print(
        f"generated {GENERATED.relative_to(HERE.parent.parent)} from {DOCUMENT.relative_to(HERE.parent.parent)}"
    )
