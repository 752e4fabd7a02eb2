"""Provenance on every page of the report: on synthetic data a banner naming the generator, its version
and seed opens every page, the title and every chart caption say so and no Open Government Licence
attribution is made; on real data (the bundled excerpts) the attribution stays and no banner shows."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from school_groups.report import build_report
from tests.test_report import PERIOD, SAMPLE, make_published_db

GENERATOR = {"generator": "synthetic_mirror", "generator_version": "3.1", "scale": 0.25, "seed": 20261124}
ATTRIBUTION = "licensed under the Open Government Licence"


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    return make_published_db(tmp_path_factory.mktemp("real") / "published.duckdb")


def _with_publication(src: Path, dst: Path, sql: str, params: list) -> Path:
    shutil.copy(src, dst)
    con = duckdb.connect(str(dst))
    con.execute(sql, params)
    con.close()
    return dst


def _pages(main: Path) -> dict[str, str]:
    """Every page the build wrote: the main page, latest.html, the profile index and each profile."""
    out = {p.name: p.read_text(encoding="utf-8") for p in main.parent.glob("*.html")}
    out.update({f"groups/{p.name}": p.read_text(encoding="utf-8") for p in (main.parent / f"groups-{PERIOD}").glob("*.html")})
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_synthetic_banner_title_captions_and_footer_on_every_page(real_db, tmp_path):
    db = _with_publication(real_db, tmp_path / "synthetic.duckdb",
                           "update meta.publication set synthetic_data = true, source_mode = 'synthetic', "
                           "synthetic_generator = ?", [json.dumps([GENERATOR])])
    pages = _pages(build_report(db, tmp_path / "out"))
    assert len(pages) == 2 + 1 + len(SAMPLE[PERIOD])
    for name, html in pages.items():
        body = html.split("<body>", 1)[1]
        assert body.startswith('<p class="synthetic-banner"'), f"{name}: the banner comes first"
        banner = _text(body.split("</p>", 1)[0])
        assert "made-up schools and groups" in banner and "demonstration" in banner, name
        assert "synthetic_mirror version 3.1" in banner and "seed 20261124" in banner, banner
        assert "20,261,124" not in html, "a seed is an identifier, never printed as a quantity"
        assert re.search(r"<title>[^<]*\(synthetic data\)</title>", html), name
        assert ATTRIBUTION not in html, f"{name}: no OGL attribution on synthetic data"
        footer = _text(html.split('<footer class="page">')[1])
        assert "Synthetic data" in footer and "seed 20261124" in footer, footer
    main = pages["latest.html"]
    assert "(synthetic data)</h1>" in main
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", main, re.S)
    assert len(captions) == 15
    assert all("Synthetic data: made-up schools and groups" in _text(c) for c in captions)


def test_real_data_keeps_the_attribution_and_shows_no_banner(real_db, tmp_path):
    pages = _pages(build_report(real_db, tmp_path / "out"))      # source_mode 'sample': the real excerpts
    for name, html in pages.items():
        assert 'class="synthetic-banner"' not in html and "(synthetic data)" not in html, name
        assert "Synthetic data" not in html, name
        footer = _text(html.split('<footer class="page">')[1])
        assert ATTRIBUTION in footer and "the bundled excerpts of the real DfE and Ofsted files" in footer, name
    assert "Data source" in pages["latest.html"] and "The bundled excerpts" in pages["latest.html"]


@pytest.mark.parametrize("mode,synthetic", [("mixed: sample, synthetic", True), ("live", False), ("mirror", False)])
def test_source_mode_decides_banner_and_attribution(real_db, tmp_path, mode, synthetic):
    db = _with_publication(real_db, tmp_path / "p.duckdb", "update meta.publication set synthetic_data = ?, "
                           "source_mode = ?, synthetic_generator = ?",
                           [synthetic, mode, json.dumps([GENERATOR] if synthetic else None)])
    html = build_report(db, tmp_path / "out").read_text(encoding="utf-8")
    assert ('class="synthetic-banner"' in html) is synthetic
    assert (ATTRIBUTION in html) is (not synthetic)
    if synthetic:
        assert "a mix of the bundled excerpts of the real DfE and Ofsted files and a generated" in html


def test_a_publication_that_says_nothing_claims_nothing(real_db, tmp_path):
    db = tmp_path / "old.duckdb"
    shutil.copy(real_db, db)
    con = duckdb.connect(str(db))
    for col in ("synthetic_data", "source_mode", "synthetic_generator"):
        con.execute(f"alter table meta.publication drop column {col}")
    con.close()
    html = build_report(db, tmp_path / "out").read_text(encoding="utf-8")
    assert 'class="synthetic-banner"' not in html and ATTRIBUTION not in html
    assert "Where the data came from is not recorded" in html
