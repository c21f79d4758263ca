"""Connections to a PostgreSQL/PostGIS server: what a user types, never a stored password.

A :class:`ConnectionSpec` holds host, port, database, user, SSL mode, an optional service name
from ``pg_service.conf`` and the schema gisapp works in. The password comes, in this order,
from the spec itself (typed in the dialog, kept in memory only), the operating system's
keyring (:func:`remember_password`) or libpq's own ``~/.pgpass`` and service file, which libpq
reads when no password is passed. Settings and projects keep :meth:`ConnectionSpec.url`,
which never holds a password.

Every connection has a connect timeout and a statement timeout, so a server that stalls
gives an error instead of a hang; callers run queries off the UI thread.

>>> spec = parse_url("postgresql://planner@db.example:5433/plan?schema=dalian&sslmode=require")
>>> (spec.user, spec.host, spec.port, spec.dbname, spec.schema, spec.sslmode)
('planner', 'db.example', 5433, 'plan', 'dalian', 'require')
>>> spec.url()
'postgresql://planner@db.example:5433/plan?schema=dalian&sslmode=require'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from gisapp.io.tiles.keys import load_key, store_key

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 120_000


class PostgisError(Exception):
    """A server could not be reached or refused a request; ``str()`` names the server and the
    problem in words a user can act on (like :class:`gisapp.io.errors.GisIOError` for files)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ConnectionSpec:
    host: str = ""
    port: int = DEFAULT_PORT
    dbname: str = ""
    user: str = ""
    sslmode: str = "prefer"
    service: str = ""  # a section of pg_service.conf; libpq fills what the fields leave empty
    schema: str = "public"
    password: str | None = field(default=None, repr=False, compare=False)  # in memory only

    def display(self) -> str:
        """``user@host:port/db`` (or ``service=NAME``) for messages and titles."""
        if self.service and not self.host:
            return f"service={self.service}" + (f"/{self.dbname}" if self.dbname else "")
        user = f"{self.user}@" if self.user else ""
        return f"{user}{self.host or 'localhost'}:{self.port}/{self.dbname}"

    def url(self) -> str:
        """A ``postgresql://`` URL without the password (what settings and projects keep)."""
        query: dict[str, str] = {}
        if self.schema and self.schema != "public":
            query["schema"] = self.schema
        if self.sslmode and self.sslmode != "prefer":
            query["sslmode"] = self.sslmode
        if self.service:
            query["service"] = self.service
        user = quote(self.user, safe="") + "@" if self.user else ""
        host = self.host if ":" not in self.host else f"[{self.host}]"
        port = f":{self.port}" if self.port else ""
        text = f"postgresql://{user}{host}{port}/{quote(self.dbname, safe='')}"
        return text + ("?" + urlencode(query) if query else "")

    def keyring_name(self) -> str:
        """The name of this server's password in the keyring (one per user, host, port and database)."""
        return "postgresql:" + self.display()

    def conninfo(self, password: str | None = None) -> str:
        """libpq's connection string (the password only when one is known here)."""
        from psycopg.conninfo import make_conninfo

        params: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "gisapp"}
        for key in ("host", "dbname", "user", "sslmode", "service"):
            value = getattr(self, key)
            if value:
                params[key] = value
        if self.port and (self.host or not self.service):
            params["port"] = self.port
        secret = password if password is not None else self.password
        if secret:
            params["password"] = secret
        return make_conninfo("", **params)

    def with_password(self, password: str | None) -> ConnectionSpec:
        return replace(self, password=password)


def parse_url(url: str) -> ConnectionSpec:
    """A spec from ``postgresql://USER@HOST:PORT/DB?schema=NAME[&sslmode=..][&service=..]``.

    Raises ValueError naming what is wrong. A password in the URL is taken for this connection
    only (it is never written back by :meth:`ConnectionSpec.url`).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL (postgresql://USER@HOST:PORT/DB): {url!r}")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"schema", "sslmode", "service"}
    if unknown:
        raise ValueError(f"unknown URL parameter {sorted(unknown)[0]!r} (known: schema, sslmode, service)")
    sslmode = query.get("sslmode", "prefer")
    if sslmode not in SSL_MODES:
        raise ValueError(f"unknown SSL mode {sslmode!r} (one of {', '.join(SSL_MODES)})")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise ValueError(f"the port is not a number: {url!r}") from exc
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname and not query.get("service"):
        raise ValueError(f"no database named (postgresql://USER@HOST:PORT/DB): {url!r}")
    return ConnectionSpec(host=parts.hostname or "", port=port, dbname=dbname,
                          user=unquote(parts.username or ""), sslmode=sslmode,
                          service=query.get("service", ""), schema=query.get("schema", "public") or "public",
                          password=unquote(parts.password) if parts.password else None)


def is_postgres_url(text: str) -> bool:
    return text.strip().lower().startswith(("postgresql://", "postgres://"))


def keyring_password(spec: ConnectionSpec) -> str:
    """The password kept in the keyring for this server ("" if none)."""
    return load_key(spec.keyring_name())


def remember_password(spec: ConnectionSpec, password: str) -> str | None:
    """Keep the password in the keyring; None when stored, else why it lasts this session only."""
    return store_key(spec.keyring_name(), password)


def connect(spec: ConnectionSpec, *, autocommit: bool = False,
            statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> Any:
    """An open ``psycopg.Connection`` (raises :class:`PostgisError` with the reason).

    The password: the spec's, else the keyring's, else what libpq finds in ``~/.pgpass`` or
    the service file.
    """
    import psycopg

    password = spec.password if spec.password is not None else (keyring_password(spec) or None)
    try:
        con = psycopg.connect(spec.conninfo(password), autocommit=autocommit)
    except psycopg.OperationalError as exc:
        raise PostgisError(spec.display(), _connect_reason(exc)) from exc
    try:
        with con.cursor() as cur:
            cur.execute("SELECT set_config('statement_timeout', %s, false)", (str(int(statement_timeout_ms)),))
        if not autocommit:
            con.commit()
    except psycopg.Error as exc:
        con.close()
        raise PostgisError(spec.display(), str(exc).strip()) from exc
    return con


PASSWORD_REFUSED = "the server refused the user name or password"
PASSWORD_MISSING = "the server asks for a password (none in the dialog, the keyring or ~/.pgpass)"


def needs_password(error: BaseException) -> bool:
    """Whether ``error`` is a server asking for a (right) password: a prompt can retry."""
    return isinstance(error, PostgisError) and any(
        reason in error.problem for reason in (PASSWORD_REFUSED, PASSWORD_MISSING))


def use_password(spec: ConnectionSpec, password: str, remember: bool) -> str | None:
    """Every later connection to this server uses ``password``: kept in the keyring when
    ``remember`` (None, or why it lasts this session only), else for this session only."""
    from gisapp.io.tiles.keys import use_for_session

    if remember:
        return remember_password(spec, password)
    use_for_session(spec.keyring_name(), password)
    return None


def _connect_reason(exc: Exception) -> str:
    """libpq's message, shortened to its first line with the cause in plain words first."""
    text = str(exc).strip()
    lowered = text.lower()
    if "password authentication failed" in lowered:
        return PASSWORD_REFUSED
    if "no password supplied" in lowered or "fe_sendauth" in lowered:
        return PASSWORD_MISSING
    if "connection refused" in lowered:
        return "no server answers at this address and port (is PostgreSQL running?)"
    if "timeout expired" in lowered:
        return f"the server did not answer within {CONNECT_TIMEOUT_S} s"
    if "does not exist" in lowered:
        return text.splitlines()[-1].split("FATAL:")[-1].strip()
    if "could not translate host name" in lowered:
        return "the host name is unknown"
    return text.splitlines()[-1].strip() if text else type(exc).__name__
