"""The shared Postgres init Job's script, run against a real PostgreSQL server.

`pgserver` (a test extra) ships PostgreSQL 16 binaries; the script the cluster renders is
run with bash and that server's psql, as the Job runs it, with the roles CNPG's
`managed.roles` would have made.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from fako.clusters.staging import CLUSTER
from fako.definition import build
from fako.patterns.cnpg import database_init_script
from fako.testing import find


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    import pgserver  # a test extra: missing means the install is broken, not a skip

    data = tmp_path_factory.mktemp("pgdata")
    srv = pgserver.get_server(str(data), cleanup_mode="stop")
    bin_dir = Path(pgserver.__file__).parent / "pginstall" / "bin"
    socket = srv.get_uri().split("host=")[1]
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PGHOST": socket, "PGUSER": "postgres"}
    try:
        yield env
    finally:
        srv.cleanup()


def psql(env: dict[str, str], sql: str, db: str = "postgres") -> str:
    proc = subprocess.run(
        ["psql", "-v", "ON_ERROR_STOP=1", "-tA", "-d", db, "-c", sql], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def staging_script() -> str:
    objects = [o.manifest for o in build(CLUSTER, include_disabled=True).objects]
    job = find(objects, "Job", "postgres-database-init")
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[:2] == ["/bin/bash", "-c"]
    return str(command[2])


def run_script(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)


def test_the_cluster_init_script_creates_every_database_and_is_idempotent(server: dict[str, str]) -> None:
    for role in ("app", "admin"):
        psql(server, f"DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    script = staging_script()
    first = run_script(script, server)
    assert first.returncode == 0, first.stderr
    names = set(psql(server, "SELECT datname FROM pg_database").split())
    assert {"oura", "keycloak", "n8n", "paperless", "backstage", "langfuse", "plaud"} <= names
    assert psql(server, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'n8n'") == "app"
    again = run_script(script, server)  # Flux re-creates the Job after its TTL: it must run again cleanly
    assert again.returncode == 0, again.stderr
    assert "Database n8n already exists" in again.stdout


def test_a_failure_stops_the_script_loudly_instead_of_saying_already_exists(server: dict[str, str]) -> None:
    script = database_init_script("set -e\n", ["fresh_one"], owner="nobody_here")
    proc = run_script(script, server)
    assert proc.returncode != 0
    assert 'role "nobody_here" does not exist' in proc.stderr
    assert "already exists" not in proc.stdout
    assert "Database initialization completed successfully" not in proc.stdout


def test_no_connection_is_a_failure_too(server: dict[str, str], tmp_path: Path) -> None:
    env = {**server, "PGHOST": str(tmp_path)}  # no server listens there
    proc = run_script(database_init_script("set -e\n", ["fresh_two"]), env)
    assert proc.returncode != 0 and "already exists" not in proc.stdout


def test_names_that_are_not_identifiers_never_reach_the_script() -> None:
    from fako.errors import FakoError

    for bad in ('x; psql -c "DROP DATABASE keycloak"', "Notes", "my-notes", "a" * 64, "1x"):
        with pytest.raises(FakoError, match="not PostgreSQL identifiers"):
            database_init_script("", [bad])
