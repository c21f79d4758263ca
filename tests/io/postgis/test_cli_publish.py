"""``gisapp publish postgresql://...`` and ``--project postgresql://...``, run as a user would
(real subprocesses, the password from PGPASSWORD as libpq reads it, never the command line)."""

import json
import os
import subprocess
import sys

GISAPP = [sys.executable, "-m", "gisapp.cli"]


def run(*args, password=None):
    env = {**os.environ, "PGPASSFILE": os.devnull}
    env.pop("PGPASSWORD", None)
    if password is not None:
        env["PGPASSWORD"] = password
    return subprocess.run([*GISAPP, *args], capture_output=True, text=True, timeout=180, env=env)


def test_the_bundled_project_published_and_listed_from_the_server(postgis_server, postgis_db):
    url = f"postgresql://postgres@127.0.0.1:{postgis_server.port}/{postgis_db.dbname}?schema=dalian&sslmode=disable"
    published = run("publish", url, password=postgis_server.password)
    assert published.returncode == 0, published.stderr
    bundled = json.loads(run("layers", "--json").stdout)
    assert f"{bundled[0]['id']} -> dalian." in published.stdout
    assert f"published {len(bundled)} layers" in published.stdout
    from_server = run("--project", url, "layers", "--json", password=postgis_server.password)
    assert from_server.returncode == 0, from_server.stderr
    assert json.loads(from_server.stdout) == bundled
    feature = "hitech.city.yingeshi"
    linked = run("--project", url, "indicators", feature, "--json", password=postgis_server.password)
    assert json.loads(linked.stdout) == json.loads(run("indicators", feature, "--json").stdout)
    again = run("publish", url, password=postgis_server.password)
    assert again.returncode == 2 and "published there already" in again.stderr and "Traceback" not in again.stderr
    assert run("publish", url, "--overwrite", password=postgis_server.password).returncode == 0


def test_a_refused_password_and_a_bad_url_are_one_clear_line(postgis_server, postgis_db):
    url = f"postgresql://postgres@127.0.0.1:{postgis_server.port}/{postgis_db.dbname}?schema=dalian&sslmode=disable"
    refused = run("publish", url, password="wrong")
    assert refused.returncode == 2 and "refused the user name or password" in refused.stderr
    assert "Traceback" not in refused.stderr and f"127.0.0.1:{postgis_server.port}" in refused.stderr
    bad = run("--project", "postgresql://host/db?colour=red", "layers")
    assert bad.returncode == 2 and "unknown URL parameter" in bad.stderr
