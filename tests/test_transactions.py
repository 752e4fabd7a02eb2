"""A failed write inside a transaction reports its own error, never DuckDB's "cannot rollback",
and a full disk or an unwritable folder leads with the path."""

from __future__ import annotations

import errno

import duckdb
import pytest

from school_groups.transactions import StorageError, naming_the_path, transaction


def test_a_full_disk_names_the_warehouse_file_first_and_rolls_back(tmp_path):
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t (x integer)")
    with pytest.raises(StorageError) as err:
        with transaction(con, "loading x.csv"):
            con.execute("insert into t values (1)")
            raise duckdb.IOException('Could not write file "w.duckdb.wal": No space left on device')
    assert str(err.value).startswith(f"{path}: no space left on the device while loading x.csv")
    assert "cannot rollback" not in str(err.value)
    assert con.execute("select count(*) from t").fetchall() == [(0,)]


def test_the_original_error_survives_a_rollback_duckdb_already_made(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create table t (x integer primary key)")
    con.execute("insert into t values (1)")
    # a constraint error: after it, DuckDB has aborted the transaction and a second rollback would
    # fail; the error raised must still be the constraint's
    with pytest.raises(duckdb.ConstraintException):
        with transaction(con, "writing t"):
            con.execute("insert into t values (1)")
    with pytest.raises(ValueError, match="boom"):
        with transaction(con, "writing t"):
            con.execute("commit")          # leaves no transaction open: the rollback then fails
            raise ValueError("boom")
    assert con.execute("select count(*) from t").fetchall() == [(1,)]


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "no space left"), (errno.EACCES, "not permitted")])
def test_os_errors_name_the_folder(tmp_path, code, words):
    named = naming_the_path(OSError(code, "x"), tmp_path, "writing the published files")
    assert isinstance(named, StorageError) and str(named).startswith(f"{tmp_path}: {words}")
    other = ValueError("unrelated")
    assert naming_the_path(other, tmp_path, "x") is other


def test_one_checkpoint_keeps_commits_atomic_and_restores_the_setting(tmp_path):
    from school_groups.raw.load import one_checkpoint

    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t (x integer)")
    before = con.execute("select current_setting('wal_autocheckpoint')").fetchone()[0]
    with pytest.raises(ValueError, match="boom"):
        with one_checkpoint(con):
            with transaction(con, "loading a.csv"):
                con.execute("insert into t values (1)")
            with transaction(con, "loading b.csv"):
                con.execute("insert into t values (2)")
                raise ValueError("boom")
    assert con.execute("select current_setting('wal_autocheckpoint')").fetchone()[0] == before
    con.close()
    # the first file's commit, held in the WAL when the error came, survives reopening; the second's rows do not
    assert duckdb.connect(str(path)).execute("select x from t").fetchall() == [(1,)]
    with one_checkpoint(con := duckdb.connect(str(path))):
        con.execute("insert into t values (3)")
    assert not (tmp_path / "w.duckdb.wal").exists() or (tmp_path / "w.duckdb.wal").stat().st_size == 0
