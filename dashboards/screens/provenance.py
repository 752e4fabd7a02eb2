"""Page 5, data quality and provenance: which run published these files and when, from which source
files (hashes, snapshot dates), and which checks failed (a failed blocking check stops publication, so
only advisory ones can show here)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ..published import Publication

RUN_ID_LABEL = "Run id"     # the browser test reads the run id next to this label


def render(pub: Publication) -> None:
    st.title("Data quality and provenance")
    cols = st.columns(4)
    cols[0].markdown(f"**{RUN_ID_LABEL}**  \n`{pub.run_id}`")
    cols[1].markdown(f"**Published**  \n{pub.published_at or 'unknown'}")
    cols[2].markdown(f"**Source mode**  \n{pub.source_mode or 'not recorded'}")
    cols[3].markdown("**Synthetic data**  \n" + {True: "yes", False: "no"}.get(pub.synthetic_data, "not recorded"))
    st.caption(f"Read from `{pub.db}`, opened read-only.")

    st.subheader("Source files")
    if pub.source_files:
        files = pl.DataFrame(pub.source_files)
        st.dataframe(files.sort([c for c in ("source", "snapshot_date") if c in files.columns]),
                     hide_index=True, width="stretch")
        st.caption(f"{files.height:,} files; sha256 is the SHA-256 of each file as loaded.")
    else:
        st.info("This publication lists no source files.")

    st.subheader("Checks")
    checks = pl.DataFrame(pub.checks) if pub.checks else pl.DataFrame(schema={"check": pl.String, "passed": pl.Boolean})
    failed = checks.filter(~pl.col("passed").fill_null(False)) if "passed" in checks.columns else checks.head(0)
    st.markdown(f"{checks.height - failed.height:,} of {checks.height:,} checks passed at publication; "
                f"**{failed.height:,} failed**.")
    if failed.height:
        st.dataframe(failed, hide_index=True, width="stretch")

    if pub.row_counts:
        with st.expander("Rows per published table"):
            st.dataframe(pl.DataFrame({"table": list(pub.row_counts), "rows": list(pub.row_counts.values())}),
                         hide_index=True, width="stretch")
