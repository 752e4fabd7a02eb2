"""The page shown while nothing is published: where the dashboard looked and how to publish."""

from __future__ import annotations

import streamlit as st

from ..published import DB_NAME, published_dir


COMMANDS = (
    ("A national-scale synthetic demo, no network (about 2 minutes):", "python3 scripts/dev.py demo"),
    ("From an offline mirror of the GIAS and Ofsted files:",
     "SCHOOL_GROUPS_SOURCE=/path/to/mirror python3 scripts/dev.py run"),
    ("From the live GIAS and Ofsted sites:", "SCHOOL_GROUPS_SOURCE=live python3 scripts/dev.py run"),
)


def render(problem: str | None = None) -> None:
    folder = published_dir()
    st.title("Nothing published yet")
    st.markdown(
        f"The dashboard reads only the published tables, and there are none in `{folder}` "
        f"(it looks for `{DB_NAME}` there; the folder is `$SCHOOL_GROUPS_HOME/published`)."
        + (f"\n\nWhat was found: {problem}" if problem else ""))
    st.subheader("How to publish them")
    st.write("Run the pipeline once; this page turns into the dashboard on the next page load, no restart needed.")
    for what, command in COMMANDS:
        st.write(what)
        st.code(command, language="bash")
    st.write("Use the same `SCHOOL_GROUPS_HOME` for the run and the dashboard (default `./data`).")
