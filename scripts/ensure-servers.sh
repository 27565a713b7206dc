#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and RabbitMQ (127.0.0.1:5672) answer: start them, or install and
# start them from Debian's packages, when they don't. On our machines both already run; this is the fallback.
set -euo pipefail

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # port name seconds
  for _ in $(seq "$3"); do answers "$1" && return 0; sleep 1; done
  echo "!! $2 does not answer on 127.0.0.1:$1" >&2
  return 1
}

apt_install() {
  [ "$(id -u)" = 0 ] || { echo "!! $* missing; install it (needs root)" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! answers 5432; then
  echo "==> starting PostgreSQL"
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  wait_for 5432 PostgreSQL 60
fi

start_rabbitmq() {
  # The soft default of 1,024 descriptors caps the broker near 900 files and sockets, and every quorum queue
  # holds about three (the test suite declares a few hundred, each service's worker and relay hold connections):
  # raise it to the hard limit (or 65,536) before the broker starts.
  local files
  files=$(ulimit -Hn | sed 's/unlimited/65536/')
  ulimit -n "$files" 2>/dev/null || true
  if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1 && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    # Debian's wrapper starts the broker through `su`, whose PAM session puts the soft limit back to 1,024.
    su rabbitmq -s /bin/sh -c "ulimit -n $files; cd /var/lib/rabbitmq && /usr/lib/rabbitmq/bin/rabbitmq-server -detached" || true
  else
    rabbitmq-server -detached || true
  fi
  wait_for 5672 RabbitMQ 120
  rabbitmqctl -q await_startup >/dev/null 2>&1 || true
}

broker_descriptor_limit() {  # the running broker's soft limit on open files, or nothing when it cannot be read
  local pid
  pid=$(pgrep -f 'beam.*rabbit' | head -1) || return 0
  awk '/^Max open files/ {print $4}' "/proc/$pid/limits" 2>/dev/null || true
}

if ! answers 5672; then
  echo "==> starting RabbitMQ"
  command -v rabbitmq-server >/dev/null 2>&1 || apt_install rabbitmq-server
  start_rabbitmq
else
  limit=$(broker_descriptor_limit)
  if [ -n "$limit" ] && [ "$limit" != unlimited ] && [ "$limit" -lt 8192 ] && [ "$(id -u)" = 0 ] \
     && command -v rabbitmqctl >/dev/null 2>&1 && [ "$(ulimit -Hn)" != "$limit" ]; then
    # A broker started with the soft default runs out of descriptors part-way through the suite: it then stops
    # accepting connections and the tests that start real processes hang. Restart it once with the raised limit.
    echo "==> restarting the local RabbitMQ: it may open only $limit files (the suite needs a few thousand)"
    rabbitmqctl -q stop >/dev/null 2>&1 || true
    for _ in $(seq 30); do answers 5672 || break; sleep 1; done
    start_rabbitmq
  fi
fi
echo "==> PostgreSQL and RabbitMQ answer"
