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

if ! answers 5672; then
  echo "==> starting RabbitMQ"
  command -v rabbitmq-server >/dev/null 2>&1 || apt_install rabbitmq-server
  # The soft default of 1,024 descriptors caps the broker near 900 connections and channels; raise it to the
  # hard limit (or 65,536) before it starts, since each service's worker and relay hold their own connections.
  ulimit -n "$(ulimit -Hn | sed 's/unlimited/65536/')" 2>/dev/null || true
  rabbitmq-server -detached || true
  wait_for 5672 RabbitMQ 120
fi
echo "==> PostgreSQL and RabbitMQ answer"
