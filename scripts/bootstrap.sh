#!/usr/bin/env bash
# Install what the project needs into .venv, from the lock file: uv itself (from PyPI) and every package.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
  UV=uv
else
  if [ ! -x .tools/bin/uv ]; then
    echo "==> installing uv $UV_VERSION into .tools/"
    python3 -m venv .tools
    .tools/bin/pip install --quiet "uv==$UV_VERSION"
  fi
  UV=.tools/bin/uv
fi
echo "==> installing the workspace into .venv (uv sync --frozen)"
"$UV" sync --frozen --python python3 --quiet
