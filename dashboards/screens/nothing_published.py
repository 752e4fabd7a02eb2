"""The page shown while nothing is published: where the dashboard looked and how to publish."""

from __future__ import annotations

import streamlit as st

from ..published import DB_NAME, published_dir


def render(problem: str | None = None) -> None:
    folder = published_dir()
    st.title("Nothing published yet")
    st.markdown(
        f"The dashboard reads only the published tables, and there are none in `{folder}` "
        f"(it looks for `{DB_NAME}` there; the folder is `$SCHOOL_GROUPS_HOME/published`)."
        + (f"\n\nWhat was found: {problem}" if problem else ""))
    st.subheader("How to publish them")
    st.markdown(
        "Run the pipeline once; this page turns into the dashboard on the next page load, no restart needed.\n\n"
        "- A national-scale synthetic demo, no network (about 2 minutes):\n\n"
        "  ```bash\n  python3 scripts/dev.py demo\n  ```\n"
        "- From an offline mirror of the GIAS and Ofsted files:\n\n"
        "  ```bash\n  SCHOOL_GROUPS_SOURCE=/path/to/mirror python3 scripts/dev.py run\n  ```\n"
        "- From the live GIAS and Ofsted sites:\n\n"
        "  ```bash\n  SCHOOL_GROUPS_SOURCE=live python3 scripts/dev.py run\n  ```\n\n"
        "Use the same `SCHOOL_GROUPS_HOME` for the run and the dashboard (default `./data`).")
