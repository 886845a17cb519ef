"""Launching Datasette on the database for `beiwen serve` (the configuration is
services/web_config.py's).

Datasette opens the file read-only (`mode=ro`: it never writes it, and unlike `immutable`
it sees what beiwen commits meanwhile, WAL included). A small plugin registered here, on
every connection Datasette opens:

- installs SQLite's authorizer: the personal columns of the configuration read as NULL in
  every statement, and ATTACH is refused, so neither a page nor SQL typed into Datasette
  can reach them;
- replaces Datasette's `escape_fts` with beiwen's own search query (character bigrams), so
  the search box finds 摊贩 in the bigram index.

Datasette is an optional extra (`pip install 'beiwen[web]'`): without it, one error line
says so.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beiwen.errors import BeiwenError
from beiwen.i18n import t


def authorizer(private: set[tuple[str, str]]) -> Callable[..., int]:
    """SQLite's authorizer callback: private columns read as NULL, ATTACH refused."""

    def check(action: int, first: str | None, second: str | None, *_: Any) -> int:
        if action == sqlite3.SQLITE_READ and (first, second) in private:
            return sqlite3.SQLITE_IGNORE
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return check


def plugin(private: set[tuple[str, str]], search_query: Callable[[str], str]) -> Any:
    """The Datasette plugin (a module object with one hook implementation)."""
    from datasette import hookimpl  # type: ignore[import-untyped]

    def escape_fts(query: str) -> str:
        return search_query(query)

    # trylast: after Datasette's own escape_fts is registered, so that ours replaces it
    @hookimpl(trylast=True)  # type: ignore[untyped-decorator]
    def prepare_connection(conn: sqlite3.Connection) -> None:
        conn.create_function("escape_fts", 1, escape_fts)
        if private:
            conn.set_authorizer(authorizer(private))

    module = types.ModuleType("beiwen_datasette")
    module.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    return module


def check_port(host: str, port: int) -> None:
    """Refuse, in one line, an address that cannot be listened on (a port in use, a host
    that is not this computer's), before Datasette starts."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        raise BeiwenError(
            t("serve.cannot_listen", host=host, port=port, reason=error.strerror or error)
        ) from error


def serve(path: Path, config: Any, host: str, port: int) -> None:
    """Serve `path` with `config` (a services.web_config.WebConfig) until interrupted."""
    try:
        import uvicorn
        from datasette.app import Datasette  # type: ignore[import-untyped]
        from datasette.plugins import pm  # type: ignore[import-untyped]
    except ImportError as error:
        raise BeiwenError(t("serve.no_datasette")) from error
    check_port(host, port)
    pm.register(plugin(config.private, config.search_query), name="beiwen")
    datasette = Datasette(
        files=[str(path)],
        metadata=config.metadata,
        settings=config.settings,
    )
    asyncio.run(datasette.invoke_startup())
    sys.stderr.write(t("serve.listening", url=f"http://{host}:{port}/") + "\n")
    sys.stderr.flush()
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
