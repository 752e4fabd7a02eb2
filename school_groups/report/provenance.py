"""Where the report's data came from, said on every page: a banner, the title, each chart's caption
and the footer, all from ``meta.publication``.

On synthetic data (a generated mirror) real-looking trust names with percentages could be quoted as
fact, so every page opens with a banner naming the generator, its version and seed, every caption
says so too, and the footer makes no Open Government Licence attribution: no DfE or Ofsted figure
is reproduced. Real data (source_mode live, mirror or sample) keeps the attribution and shows no
banner. A publication that predates these columns claims nothing either way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .formatting import esc

# What each source_mode means, for readers (meta.publication.source_mode).
SOURCE_WORDS = {
    "live": "downloaded from the DfE and Ofsted websites",
    "mirror": "an offline copy of the DfE and Ofsted files",
    "sample": "the bundled excerpts of the real DfE and Ofsted files",
    "synthetic": "a generated (synthetic) copy of the DfE and Ofsted files",
}
REAL_MODES = ("live", "mirror", "sample")
OGL = ("Contains public sector information from the Department for Education (Get Information about Schools) "
       "and Ofsted (inspection outcomes), licensed under the Open Government Licence v3.0.")


@dataclass
class Provenance:
    """meta.publication's provenance columns, as read (None where the publication does not say)."""

    synthetic_data: bool | None = None
    source_mode: str | None = None
    generators: list[dict] = field(default_factory=list)   # generator, generator_version, scale, seed

    @property
    def synthetic(self) -> bool:
        return bool(self.synthetic_data)

    @property
    def real(self) -> bool:
        """Known to be real data only: never on a synthetic or mixed publication."""
        return self.synthetic_data is False and (self.source_mode or "") in REAL_MODES


def parse_generators(value) -> list[dict]:
    """meta.publication.synthetic_generator (a JSON list, JSON null, or already parsed) as a list of dicts."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [g for g in value if isinstance(g, dict)] if isinstance(value, list) else []


def _seed(value) -> str:
    # a seed is an identifier, never a quantity: no thousands separators ("20261124", not "20,261,124")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def generator_words(p: Provenance) -> str:
    """'the generator synthetic_mirror version 3, seed 20261124, scale 1.0' (every generator used)."""
    parts = []
    for g in p.generators:
        text = f"generator {g.get('generator') or 'unnamed'}"
        if g.get("generator_version") is not None:
            text += f" version {g['generator_version']}"
        if g.get("seed") is not None:
            text += f", seed {_seed(g['seed'])}"
        if g.get("scale") is not None:
            text += f", scale {g['scale']}"
        parts.append(text)
    return "; ".join(parts) if parts else "generator not recorded"


def source_words(p: Provenance) -> str:
    """Where the files came from, in words (source_mode, 'mixed: a, b' named part by part)."""
    mode = p.source_mode or ""
    if mode.startswith("mixed:"):
        parts = [m.strip() for m in mode.split(":", 1)[1].split(",")]
        return "a mix of " + " and ".join(SOURCE_WORDS.get(m, m) for m in parts)
    return SOURCE_WORDS.get(mode, "a source that is not recorded")


def banner(p: Provenance) -> str:
    """The synthetic-data banner every page opens with ('' on real or unknown data)."""
    if not p.synthetic:
        return ""
    return ('<p class="synthetic-banner" role="note" id="synthetic-data"><strong>Synthetic data: made-up schools and '
            "groups, for demonstration only.</strong> Every name, figure and trend on this page was built from "
            f"{esc(source_words(p))} ({esc(generator_words(p))}). None describes a real school, trust or local "
            "authority; do not quote it as fact.</p>")


def title_suffix(p: Provenance) -> str:
    return " (synthetic data)" if p.synthetic else ""


def caption_note(p: Provenance) -> str:
    """Appended to every chart caption, so a chart copied on its own still says what it shows."""
    if not p.synthetic:
        return ""
    return '<span class="sub synthetic-note">Synthetic data: made-up schools and groups, for demonstration.</span>'


def footer_text(p: Provenance) -> str:
    """The footer's provenance sentence: the OGL attribution on real data only."""
    if p.synthetic:
        return (f"Synthetic data for demonstration, from {source_words(p)} ({generator_words(p)}). It reproduces no "
                "DfE or Ofsted figure, so no Open Government Licence attribution applies.")
    if p.real:
        return f"Data: {source_words(p)}. {OGL}"
    return ("Where the data came from is not recorded in this publication, so no attribution or synthetic-data "
            "notice can be given.")
