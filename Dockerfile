# syntax=docker/dockerfile:1
# One image recipe for every service:
#   docker build --build-arg SERVICE=directory -t pori-associations/directory .
# The container's command is the role: api (default), worker, relay or migrate.

ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<directory|grants|bookings|calendar|notifier>" >&2; exit 1; }
RUN pip install --no-cache-dir uv==0.13.9
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# Third-party dependencies first: this layer is rebuilt only when the lock file changes.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    uv sync --frozen --no-dev --no-install-workspace --package "$SERVICE"

# Then the workspace itself (shared/ and the services, installed editable from /app).
COPY pyproject.toml uv.lock ./
COPY shared/ shared/
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    test -d "services/$SERVICE" || { echo "no such service: services/$SERVICE" >&2; exit 1; } \
    && uv sync --frozen --no-dev --package "$SERVICE" \
    && python -m compileall -q shared/src "services/$SERVICE/src"


FROM ${PYTHON_IMAGE}
ARG SERVICE
ENV SERVICE=${SERVICE} \
    PATH=/app/.venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
# Owned by root and read-only for the service user. The service's migrations/ come along with its source.
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/shared /app/shared
COPY --from=build /app/services/${SERVICE} /app/services/${SERVICE}
# Numeric, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001

ENTRYPOINT ["/bin/sh", "-c", "exec /app/.venv/bin/$SERVICE \"$@\"", "--"]
CMD ["api"]
