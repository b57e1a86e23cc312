#!/usr/bin/env bash
# Install (Debian's postgresql) and start a local PostgreSQL server with a propscan test database.
# Idempotent. Prints the database URL on stdout (everything else goes to stderr), e.g.
#   export PROPSCAN_TEST_POSTGRES_URL="$(bash scripts/start-postgres.sh)"
set -euo pipefail
USER_NAME=propscan
DB_NAME=${PROPSCAN_PG_DB:-propscan_test}
PORT=${PROPSCAN_PG_PORT:-5432}

if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q postgresql >&2
fi

read -r VERSION CLUSTER _ < <(pg_lsclusters -h | head -n 1)
if ! pg_lsclusters -h | head -n 1 | grep -q online; then
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi
for _ in $(seq 30); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && break
    sleep 1
done

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -p $PORT $*" </dev/null; }
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'\"")" != "1" ]; then
    psql_admin "-c \"CREATE ROLE $USER_NAME LOGIN PASSWORD '$USER_NAME'\"" >&2
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'\"")" != "1" ]; then
    psql_admin "-c \"CREATE DATABASE $DB_NAME OWNER $USER_NAME\"" >&2
fi
echo "postgresql://$USER_NAME:$USER_NAME@127.0.0.1:$PORT/$DB_NAME"
