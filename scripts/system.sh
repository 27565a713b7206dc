#!/usr/bin/env bash
# Start or stop the system as local processes: each service's roles (api, worker, relay), logs in .run/.
#   scripts/system.sh start | stop | status
set -euo pipefail
cd "$(dirname "$0")/.."

# Every service under services/ (a new service is picked up by itself); its port comes from its settings, found
# through its `pori.services` entry point (a service's Python package need not bear its name: calendar's is
# calendar_service, ADR 0009).
mapfile -t SERVICES < <(find services -mindepth 1 -maxdepth 1 -type d -exec test -f '{}/pyproject.toml' ';' -printf '%f\n' | sort)
declare -A PORT
for service in "${SERVICES[@]}"; do
  PORT[$service]=$(.venv/bin/python -c '
import sys
from importlib.metadata import entry_points
[point] = entry_points(group="pori.services", name=sys.argv[1])
print(point.load().settings().http_port)' "$service")
done
ROLES=(api worker relay)
mkdir -p .run

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  # The development mail catcher: a real SMTP server on 127.0.0.1:1025 keeping each mail as a file in .run/mail/.
  if running .run/mail-catcher.pid; then echo "    mail catcher already running"
  else
    nohup .venv/bin/python scripts/mail-catcher.py >.run/mail-catcher.log 2>&1 &
    echo $! >.run/mail-catcher.pid
  fi
  # Every service's database and broker names first (ADR 0016): once any relay runs, each event it publishes
  # finds the queues of every service that consumes it, however the services' start-up interleaves.
  for service in "${SERVICES[@]}"; do
    echo "==> $service: migrating its database and declaring its queues"
    ".venv/bin/$service" migrate
  done
  for service in "${SERVICES[@]}"; do
    for role in "${ROLES[@]}"; do
      pid=".run/$service-$role.pid"
      if running "$pid"; then echo "    $service $role already running"; continue; fi
      nohup ".venv/bin/$service" "$role" >".run/$service-$role.log" 2>&1 &
      echo $! >"$pid"
    done
  done
  for service in "${SERVICES[@]}"; do
    url="http://127.0.0.1:${PORT[$service]}/health/ready"
    if .venv/bin/python - "$url" <<'PY'
import sys, time, urllib.request
for _ in range(240):  # 2 minutes: fifteen processes starting at once share two cores
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit(1)
PY
    then echo "==> $service ready: http://127.0.0.1:${PORT[$service]}/docs"
    else echo "!! $service did not become ready; see .run/$service-api.log" >&2; exit 1
    fi
  done
  cat <<MSG

The system runs in the background (logs and pids in .run/; stop it with: make down).
Try it:
  TOKEN=\$(.venv/bin/mint-token --role admin)
  curl -s -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
       -d '{"kind":"registered_association","name":"Porin Soutajat ry","register_number":"123.456"}' \\
       http://127.0.0.1:8001/associations
  open http://127.0.0.1:8001/liaisons.html
Mail the system sends lands in .run/mail/ (the SMTP catcher on 127.0.0.1:1025).
MSG
}

stop() {
  for pid in .run/*.pid; do
    [ -e "$pid" ] || continue
    if running "$pid"; then kill -TERM "$(cat "$pid")"; fi
    rm -f "$pid"
  done
  echo "==> stopped"
}

status() {
  for service in "${SERVICES[@]}"; do
    for role in "${ROLES[@]}"; do
      if running ".run/$service-$role.pid"; then echo "$service $role: running"; else echo "$service $role: stopped"; fi
    done
  done
}

"${1:-start}"
