#!/usr/bin/env bash
# Tests that start real servers of their own (test/redis-cluster, test/pgbouncer,
# test/export-replica) need redis-server and redis-cli, pgbouncer, and PostgreSQL's initdb,
# pg_ctl and pg_basebackup. Installs the Debian packages that are missing (as root, with
# apt-get); otherwise says what to install and exits 0: those tests then skip, each saying
# which binary it lacks.
set -uo pipefail

missing=()
{ command -v redis-server && command -v redis-cli; } >/dev/null 2>&1 || missing+=(redis-server)
{ command -v pgbouncer || [ -x /usr/sbin/pgbouncer ]; } >/dev/null 2>&1 || missing+=(pgbouncer)
{ compgen -G '/usr/lib/postgresql/*/bin/pg_basebackup' || command -v pg_basebackup; } >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
  echo "ensure-test-servers: missing ${missing[*]}; as root: apt-get install -y ${missing[*]} (the tests that need them skip meanwhile)" >&2
  exit 0
fi
echo "ensure-test-servers: installing ${missing[*]} (once per machine)"
log=$(mktemp)
export DEBIAN_FRONTEND=noninteractive
# The packages' own services are not wanted: the tests start servers on ports of their own.
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 5 "$log" >&2
  echo "ensure-test-servers: apt-get could not install ${missing[*]} (the tests that need them skip)" >&2
fi
rm -f "$log"
exit 0
