"""The dashboard's two kinds of chart, in Altair from polars frames: shares over time with their
intervals, broken at every era (and source) change, and shares with intervals side by side (groups,
measures, estimates), in the order given: alphabetical where groups are compared, never a ranking."""

from __future__ import annotations

import altair as alt
import polars as pl

PERCENT = alt.Axis(format=".0%")


def trend_chart(points: pl.DataFrame, breaks: pl.DataFrame, y_title: str) -> alt.LayerChart:
    """One line per category and segment (an era on one source), its interval as a band, and a dashed
    rule with a label at each break. ``points``: as_at, category, segment, share, ci_low, ci_high, n.
    A line never crosses a break because each segment is drawn on its own (``detail``)."""
    colours = alt.Scale(scheme="tableau10")
    base = alt.Chart(points).encode(
        x=alt.X("as_at:T", title="Snapshot (as at)", axis=alt.Axis(format="%b %Y", labelAngle=0)),
        detail="segment:N",
    )
    share_scale = alt.Scale(zero=False, nice=True)
    # the legend comes from the lines; the pale bands would make pale legend swatches
    band = base.mark_area(opacity=0.15).encode(
        y=alt.Y("ci_low:Q", axis=PERCENT, title=y_title, scale=share_scale), y2="ci_high:Q",
        color=alt.Color("category:N", scale=colours, legend=None))
    line = base.mark_line(point=True).encode(
        color=alt.Color("category:N", title=None, scale=colours,
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=260, symbolType="stroke")),
        y=alt.Y("share:Q", axis=PERCENT, title=y_title, scale=share_scale),
        tooltip=[alt.Tooltip("category:N", title="Group"), alt.Tooltip("as_at:T", title="As at"),
                 alt.Tooltip("share:Q", format=".1%", title="Share"),
                 alt.Tooltip("ci_low:Q", format=".1%", title="Interval from"),
                 alt.Tooltip("ci_high:Q", format=".1%", title="Interval to"),
                 alt.Tooltip("n:Q", format=",", title="Schools judged (n)"),
                 alt.Tooltip("era:N", title="Era")],
    )
    layers = [band, line]
    if breaks.height:
        rule = alt.Chart(breaks).mark_rule(strokeDash=[5, 4], color="#444").encode(
            x="date:T", tooltip=[alt.Tooltip("label:N", title="Break"), alt.Tooltip("date:T", title="On")])
        # Labels of breaks close in time (an era's end and the next one's start) go on separate rows.
        rows = breaks.sort("date").with_row_index("row").with_columns(offset=(pl.col("row") % 3) * 14 + 4)
        text = alt.Chart(rows).mark_text(align="left", baseline="top", dx=4, color="#444", fontSize=11).encode(
            x="date:T", y=alt.Y("offset:Q", scale=None), text="label:N")
        layers += [rule, text]
    return alt.layer(*layers).resolve_legend(color="independent").properties(height=380)


def interval_chart(rows: pl.DataFrame, label: str, order: list[str], x_title: str,
                   colour: str | None = None, reference: str | None = None,
                   reference_title: str = "") -> alt.LayerChart:
    """Each row's ``share`` as a dot on its interval (``ci_low``-``ci_high``), one line per ``label``,
    in ``order``; optionally coloured by ``colour`` and with a ``reference`` value as a diamond."""
    y = alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    enc = {"color": alt.Color(f"{colour}:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=360))} if colour else {}
    if colour:
        enc["yOffset"] = alt.YOffset(f"{colour}:N")
    tips = [alt.Tooltip(f"{label}:N", title=""), alt.Tooltip("share:Q", format=".1%", title="Share"),
            alt.Tooltip("ci_low:Q", format=".1%", title="Interval from"),
            alt.Tooltip("ci_high:Q", format=".1%", title="Interval to"), alt.Tooltip("n:Q", format=",", title="n")]
    base = alt.Chart(rows).encode(y=y, **enc)
    layers = [
        base.mark_rule(strokeWidth=2).encode(x=alt.X("ci_low:Q", axis=PERCENT, title=x_title), x2="ci_high:Q"),
        base.mark_point(filled=True, size=70).encode(x="share:Q", tooltip=tips),
    ]
    if reference:
        layers.append(base.mark_point(shape="diamond", size=90, color="#b00", filled=False).encode(
            x=f"{reference}:Q", tooltip=[alt.Tooltip(f"{reference}:Q", format=".1%", title=reference_title)]))
    # the height includes the axis and legend (Streamlit fits the chart to its box): room for each row
    height = 70 + (40 if colour else 0) + 30 * max(1, len(order)) * (2 if colour else 1)
    return alt.layer(*layers).properties(height=height)


def strip_chart(rows: pl.DataFrame, label: str, x_title: str) -> alt.Chart:
    """A large pool: one dot per group along the share axis (no order, so no ranking), interval in the tooltip."""
    return alt.Chart(rows).mark_tick(thickness=2, size=28, opacity=0.6).encode(
        x=alt.X("share:Q", axis=PERCENT, title=x_title),
        tooltip=[alt.Tooltip(f"{label}:N", title="Group"), alt.Tooltip("share:Q", format=".1%", title="Share"),
                 alt.Tooltip("ci_low:Q", format=".1%", title="Interval from"),
                 alt.Tooltip("ci_high:Q", format=".1%", title="Interval to"), alt.Tooltip("n:Q", format=",", title="n")],
    ).properties(height=60)
