#!/usr/bin/env bash
# Creates compat/.venv with the pinned reference engine (qdrant-edge-py). Idempotent.
# The Java tests find the interpreter at compat/.venv/bin/python (or -Dcompat.python=..., or
# the COMPAT_PYTHON environment variable) and skip, saying why, when it is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "compat/setup.sh: $python not found; compatibility tests will be skipped" >&2
  exit 1
fi
if [ ! -x "$here/.venv/bin/python" ]; then
  "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$here/.venv/bin/python" -c 'import importlib.metadata as m; print("reference engine: qdrant-edge-py", m.version("qdrant-edge-py"))'
