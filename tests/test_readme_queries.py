"""Every SQL statement the README shows an analyst runs on the demo's published files and returns
rows: a first query that answers nothing teaches the wrong lesson."""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.national


def readme_statements() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    statements = [s.strip() for block in blocks for s in block.split(";\n")]
    return [s.rstrip(";") for s in statements if re.sub(r"--[^\n]*", "", s).strip()]


def test_the_readme_has_queries_to_check():
    assert len(readme_statements()) >= 5


@pytest.mark.parametrize("index", range(len(readme_statements())))
def test_each_readme_query_returns_rows_on_the_demo(national_run, index):
    statement = readme_statements()[index]
    published = national_run.home / "published"
    # the README's paths are relative to the project's default home, data/
    statement = statement.replace("'data/published/", f"'{published}/")
    con = duckdb.connect(str(published / "published.duckdb"), read_only=True)
    try:
        rows = con.execute(statement).fetchmany(5)
    finally:
        con.close()
    assert rows, f"README query returns no rows on the demo's published files:\n{statement}"
