"""A throw-away PostgreSQL/PostGIS cluster on a free loopback port, for the tests.

The cluster runs as the ``postgres`` user (the server refuses to run as root) in a folder of
its own under the system's temporary folder, with ``fsync`` off. The superuser ``postgres``
connects over TCP with a password (scram-sha-256, as a real server asks), so the tests go
through the same authentication path as users do. Debian's ``postgresql-15`` and
``postgresql-15-postgis-3`` provide the binaries (``scripts/bootstrap.sh --test`` installs them).

    server = PostgisServer.start_new()
    spec = server.new_database()          # a fresh database with the postgis extension
    ...
    server.stop(); server.start()          # a server that goes away in the middle of a save
    server.destroy()
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from gisapp.io.postgis.connection import ConnectionSpec

SUPERUSER = "postgres"


def _bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError("PostgreSQL server binaries not found: run scripts/bootstrap.sh --test "
                           "(it installs postgresql-15 and postgresql-15-postgis-3)")
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgisServer:
    """One cluster; ``spec(dbname)`` gives the superuser's connection to a database of it."""

    def __init__(self, folder: Path, port: int, password: str) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.sockets = folder / "sockets"
        self.log = folder / "server.log"
        self.port = port
        self.password = password
        self.bin = _bin_dir()
        self._template_ready = False

    @classmethod
    def start_new(cls) -> PostgisServer:
        folder = Path(tempfile.mkdtemp(prefix="gisapp-pg-"))
        os.chmod(folder, 0o755)
        server = cls(folder, _free_port(), secrets.token_hex(12))
        server.sockets.mkdir()
        password_file = folder / "pw"
        password_file.write_text(server.password)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
            shutil.chown(server.sockets, "postgres")
            shutil.chown(password_file, "postgres")
        subprocess.run(_as_postgres([str(server.bin / "initdb"), "-D", str(server.data), "-U", SUPERUSER,
                                     "--auth-local=trust", "--auth-host=scram-sha-256",
                                     f"--pwfile={password_file}", "--no-sync", "-E", "UTF8",
                                     "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=120)
        password_file.unlink()
        server.start()
        return server

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.sockets} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                                     "-o", options, "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, timeout=90)

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends the sessions (their transactions roll back); ``immediate`` is a crash."""
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
                       check=False, capture_output=True, timeout=90)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def spec(self, dbname: str = "postgres", **changes: object) -> ConnectionSpec:
        values: dict[str, object] = {"host": "127.0.0.1", "port": self.port, "dbname": dbname,
                                     "user": SUPERUSER, "password": self.password, "sslmode": "disable"}
        values.update(changes)
        return ConnectionSpec(**values)  # type: ignore[arg-type]

    def sql(self, statement: str, dbname: str = "postgres") -> None:
        """Run ``statement`` as the superuser, outside a transaction (CREATE DATABASE can't be in one)."""
        import psycopg

        with psycopg.connect(self.spec(dbname).conninfo(), autocommit=True) as con:
            con.execute(statement)  # type: ignore[arg-type]  # test set-up text, never user input

    def new_database(self) -> ConnectionSpec:
        """A fresh database with PostGIS (copied from a template made once: CREATE EXTENSION is slow)."""
        if not self._template_ready:
            self.sql("CREATE DATABASE gisapp_template")
            self.sql("CREATE EXTENSION postgis", "gisapp_template")
            self.sql("ALTER DATABASE gisapp_template WITH is_template true")
            self._template_ready = True
        name = "t_" + uuid.uuid4().hex[:12]
        self.sql(f"CREATE DATABASE {name} TEMPLATE gisapp_template")
        return self.spec(name)
