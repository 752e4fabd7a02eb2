"""One transaction on the warehouse, and errors that lead with the path when the disk is full or
the folder cannot be written.

DuckDB rolls a transaction back itself when a write fails; a second ``rollback`` then raises
"cannot rollback - no transaction is active", which would hide the real error (ENOSPC) under a
misleading one. The rollback here never replaces the error that caused it.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

DISK_FULL = ("no space left on device", "disk full", "database or disk is full")
NOT_PERMITTED = ("permission denied", "read-only file system")


class StorageError(OSError):
    """A write that failed for want of space or permission, naming the path first."""


def database_path(con: duckdb.DuckDBPyConnection) -> str:
    """The file the connection's current database lives in (':memory:' for none)."""
    rows = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchall()
    return (rows[0][0] if rows else None) or ":memory:"


def storage_problem(exc: BaseException) -> str | None:
    """'no space left' or 'not permitted' when ``exc`` (or what caused it) is one, else None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "no space left on the device"
        if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return "not permitted to write there"
        text = str(exc).lower()
        if any(marker in text for marker in DISK_FULL):
            return "no space left on the device"
        if isinstance(exc, duckdb.Error) and any(marker in text for marker in NOT_PERMITTED):
            return "not permitted to write there"
        exc = exc.__cause__ or exc.__context__
    return None


def naming_the_path(exc: BaseException, path: str | Path, doing: str) -> BaseException:
    """``exc`` as a StorageError that starts with the path when it is a storage problem, else as is."""
    problem = None if isinstance(exc, StorageError) else storage_problem(exc)   # already named: as is
    if problem is None:
        return exc
    error = StorageError(f"{path}: {problem} while {doing}; nothing was committed, and what was published "
                         f"before is unchanged. Free space (or fix permissions) and run again. ({exc})")
    error.__cause__ = exc
    return error


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, doing: str) -> Iterator[None]:
    """``begin`` ... ``commit``; on any error, roll back (if DuckDB has not already) and raise the
    original error, named by the database file when the disk is full or not writable."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException as exc:
        try:
            con.execute("rollback")
        except duckdb.Error:
            pass    # already rolled back by DuckDB: the error to report is the one that caused it
        named = naming_the_path(exc, _path_or_unknown(con), doing)
        if named is exc:
            raise
        raise named from exc


def _path_or_unknown(con: duckdb.DuckDBPyConnection) -> str:
    try:
        return database_path(con)
    except duckdb.Error:
        return "the warehouse"
