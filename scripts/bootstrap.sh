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

# The AsyncAPI contract test validates every service's /asyncapi.json with the reference parser (npm's
# @asyncapi/parser, pinned by shared/tests/asyncapi/package-lock.json). Without Node that test fails and says so.
ASYNCAPI_DIR=shared/tests/asyncapi
if command -v npm >/dev/null 2>&1; then
  LOCK_SHA=$(sha256sum "$ASYNCAPI_DIR/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$ASYNCAPI_DIR/node_modules/.lock-sha256" 2>/dev/null)" != "$LOCK_SHA" ]; then
    echo "==> installing the AsyncAPI parser into $ASYNCAPI_DIR (npm ci)"
    (cd "$ASYNCAPI_DIR" && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$LOCK_SHA" > "$ASYNCAPI_DIR/node_modules/.lock-sha256"
  fi
else
  echo "==> npm not found: the AsyncAPI contract test will fail until Node.js 20+ is installed" >&2
fi

# The calendar's wheel page is tested in a real browser: Playwright drives Debian's chromium (never a browser
# Playwright downloads itself). Installed quietly when missing, where apt-get is available.
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium (apt-get) for the calendar's browser tests"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || echo "==> chromium could not be installed: the calendar's browser tests will fail until it is" >&2
  else
    echo "==> /usr/bin/chromium missing and no apt-get: the calendar's browser tests will fail" >&2
  fi
fi
