"""The dashboard's entry point (``streamlit run dashboards/app.py``; ``python3 scripts/dev.py dashboard``).

Streamlit runs this file on every page load and interaction: it finds the current publication (a new
one is picked up here, with no restart), shows the synthetic-data banner and the run id on every
page, and routes to the page asked for. With nothing published it shows how to run the pipeline.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import duckdb
import streamlit as st

if __package__ in (None, ""):
    # `streamlit run dashboards/app.py` runs this file as a script: make the project importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboards import cache  # noqa: E402
from dashboards.screens import compare, explorer, nothing_published, provenance, sample, trends  # noqa: E402

SYNTHETIC_BANNER = ("**Synthetic data.** Every figure in this dashboard is built from a generated (synthetic) copy "
                    "of the GIAS and Ofsted files, made to test this pipeline. No figure, name or trend here "
                    "describes a real school, group or area.")
PAGES = (  # (module, title, url path)
    (trends, "System trends", "trends"),
    (explorer, "Group explorer", "group"),
    (compare, "Compare groups", "compare"),
    (sample, "Sample estimates", "sample"),
    (provenance, "Data quality and provenance", "quality"),
)


def main() -> None:
    st.set_page_config(page_title="School groups dashboard", layout="wide")
    try:
        pub = cache.current_publication()
    except (LookupError, duckdb.Error) as exc:   # a file that is not a publication: say so, never a traceback
        pub, problem = None, str(exc)
    else:
        problem = None
    if pub is None:
        st.navigation([st.Page(partial(nothing_published.render, problem), title="How to publish",
                               url_path="start", default=True)], position="hidden").run()
        return
    if pub.synthetic_data:
        st.warning(SYNTHETIC_BANNER)
    st.sidebar.caption(f"Publication run **{pub.run_id}**  \npublished {pub.published_at or 'at an unknown time'}")
    pages = [st.Page(partial(module.render, pub), title=title, url_path=path, default=(i == 0))
             for i, (module, title, path) in enumerate(PAGES)]
    st.navigation(pages).run()


main()
