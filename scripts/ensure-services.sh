#!/bin/sh
# Starts the local PostgreSQL and Redis when they are down and this machine can start them
# (a developer box or CI runner with the Debian packages). Elsewhere it only reports.
pg_up() { node -e "require('net').connect(5432,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }
redis_up() { node -e "require('net').connect(6379,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  i=0; while ! pg_up && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  pg_up || echo "warning: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
fi
if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  fi
  i=0; while ! redis_up && [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  redis_up || echo "warning: Redis is not reachable on 127.0.0.1:6379" >&2
fi
exit 0
