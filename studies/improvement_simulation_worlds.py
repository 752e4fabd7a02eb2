"""Runs of the improvement simulation study (studies/improvement_simulation.py): the SQL models
built on each drawn world, their estimates and flags read back, and the null, planted and
selection worlds scored against the truth they were drawn with.
"""

from __future__ import annotations

import statistics

from school_groups.sql_runner import build_model, discover
from studies.improvement_simulation_draws import draw_world

MODELS = ("improvement_episodes", "group_improvement_comparisons", "group_improvement")
PLANTED_IMPROVER, PLANTED_DECLINER, SYSTEM_EFFECT = 1.4, -1.2, 0.4   # the generator's planted sizes


def signal_models() -> tuple[str, ...]:
    """Every patterns model group_signals needs, in build order (patterns.school_attributes is an input)."""
    models = {m.table: m for m in discover()}
    order: list[str] = []

    def visit(table: str) -> None:
        if table in order or table == "patterns.school_attributes" or not table.startswith("patterns."):
            return
        for read in models[table].reads:
            visit(".".join(read))
        order.append(table)

    visit("patterns.group_signals")
    return tuple(t.split(".")[1] for t in order)


def run_models(con, names: tuple[str, ...] = MODELS) -> None:
    models = {m.name: m for m in discover() if m.layer == "patterns"}
    for name in names:
        build_model(con, models[name], fingerprint="simulation")


def signal_flags(con) -> tuple[dict[str, int], set[str]]:
    """Schools judged before and under each group, and the groups a decline signal fired for (the same
    signals tests/test_patterns_national.py counts for the generator's planted decliners)."""
    judged = dict(con.execute("select group_key, coalesce(schools_judged_before_and_under, 0) "
                              "from patterns.group_capacity").fetchall())
    fired = {k for k, in con.execute("""select distinct group_key from patterns.group_signals where signal in
        ('decline_after_joining', 'high_share_of_concerns', 'rapid_growth_falling_outcomes')""").fetchall()}
    return judged, fired


def results(con) -> dict:
    groups = con.execute("""select group_key, joiners_matched, effect, effect_ci_low, effect_ci_high, effect_shrunk,
                                   eligible from patterns.group_improvement where scope = 'group'""").fetchall()
    system = {r[0]: r[1:] for r in con.execute(
        """select comparison_pool, effect, effect_ci_low, effect_ci_high, joiners_matched, share_improved_matched,
                  comparison_share_improved
           from patterns.group_improvement_comparisons where scope = 'system'""").fetchall()}
    return {"groups": groups, "system": system["not_yet_joined"], "system_by_pool": system}


def flags(groups) -> dict[str, str]:
    out = {}
    for key, _n, effect, low, high, _shrunk, eligible in groups:
        if eligible and low is not None and low > 0:
            out[key] = "improver"
        elif eligible and high is not None and high < 0:
            out[key] = "decliner"
    return out


def null_world(con, seeds) -> dict:
    flagged_shares, covered, widths, effects = [], 0, [], []
    for seed in seeds:
        draw_world(con, seed, {}, 0.0, False)
        run_models(con)
        r = results(con)
        eligible = [g for g in r["groups"] if g[6]]
        flagged_shares.append(len(flags(r["groups"])) / max(1, len(eligible)))
        effect, low, high = r["system"][:3]
        covered += low <= 0 <= high
        widths.append(high - low)
        effects.append(effect)
    return {"worlds": len(seeds), "mean_share_of_eligible_groups_flagged": statistics.fmean(flagged_shares),
            "max_share_flagged_in_a_world": max(flagged_shares),
            "system_interval_covers_zero": covered / len(seeds),
            "system_effect_mean": statistics.fmean(effects), "system_effect_sd": statistics.pstdev(effects),
            "system_interval_mean_width": statistics.fmean(widths)}


def planted_world(con, seeds, improvers: set[str], generator_decliners: set[str], decliners: set[str]) -> dict:
    effects = {g: PLANTED_IMPROVER for g in improvers} | {g: PLANTED_DECLINER for g in generator_decliners | decliners}
    in_top, ranked, decliner_flags, other_flags, eligible_improvers, generator_flags = [], [], [], [], [], []
    signalled, signalled_others = [], []
    min_judged = con.execute("select value from meta.settings where key = 'signal_decline_min_schools'"
                             ).fetchall()[0][0]
    chain = signal_models()
    for seed in seeds:
        draw_world(con, seed, effects, 0.0, False)
        run_models(con, chain)
        groups = results(con)["groups"]
        judged, fired = signal_flags(con)
        signalled += [g in fired for g in generator_decliners | decliners if judged.get(g, 0) >= min_judged]
        signalled_others += [g in fired for g, n in judged.items()
                             if n >= min_judged and g not in generator_decliners | decliners | improvers]
        # every trust with an estimate, ordered on the empirical-Bayes effect
        order = [g[0] for g in sorted((g for g in groups if g[5] is not None), key=lambda g: (-g[5], g[0]))]
        decile = len(order) / 10
        ranks = [order.index(g) + 1 for g in improvers if g in order]
        in_top.append(sum(r <= decile for r in ranks))
        ranked.append(len(ranks))
        eligible_improvers.append(sum(1 for g in groups if g[0] in improvers and g[6]))
        flagged = flags(groups)
        sizes = {g[0]: g[1] for g in groups}
        decliner_sizes = [sizes[g] for g in decliners if g in sizes and sizes[g] > 0]
        for g in decliners:
            if sizes.get(g, 0) > 0:
                decliner_flags.append(flagged.get(g) == "decliner")
        generator_flags += [flagged.get(g) == "decliner" for g in generator_decliners if sizes.get(g, 0) > 0]
        if decliner_sizes:
            low, high = min(decliner_sizes), max(decliner_sizes)
            for key, n, *_ in groups:
                if key not in decliners | generator_decliners | improvers and low <= n <= high:
                    other_flags.append(flagged.get(key) == "decliner")
    return {"worlds": len(seeds), "improvers_planted": len(improvers),
            "improvers_with_an_estimate_mean": statistics.fmean(ranked),
            "improvers_eligible_mean": statistics.fmean(eligible_improvers),
            "improvers_in_top_decile_mean": statistics.fmean(in_top),
            "worlds_with_at_least_8_in_top_decile": sum(t >= 8 for t in in_top) / len(seeds),
            "decliners_planted": len(decliners),
            "decliners_planted_at": sorted(decliners),
            "decliner_flag_rate": statistics.fmean(decliner_flags) if decliner_flags else None,
            "generator_decliners_planted": len(generator_decliners),
            "generator_decliner_flag_rate": statistics.fmean(generator_flags) if generator_flags else None,
            "other_groups_of_their_size_flag_rate": statistics.fmean(other_flags) if other_flags else None,
            # the decline signals of patterns.group_signals, over every planted decliner with at least
            # signal_decline_min_schools schools judged before and under it, and over the other trusts so judged
            "decliners_signalled_rate": statistics.fmean(signalled) if signalled else None,
            "other_groups_signalled_rate": statistics.fmean(signalled_others) if signalled_others else None}


def selection_world(con, seeds) -> dict:
    """Two planted values, from the same world drawn with and without the effect (common random numbers):
    the joiners' own average effect (their share improved, judged and matched, with minus without), and
    the value the headline design estimates, which also subtracts what the effect did to the comparisons
    (intention to treat: a 'not yet joined' comparison that joins a trust later gains the effect too).
    'stayed_with_la' comparisons never join by the horizon, so the joiners' own effect is its target."""
    targets = {"not_yet_joined": "design", "stayed_with_la": "joiners_own"}
    covered, gaps, estimates = ({p: 0 for p in targets}, {p: [] for p in targets}, {p: [] for p in targets})
    planted = {"joiners_own": [], "design": []}
    for seed in seeds:
        draw_world(con, seed, {}, 0.0, True)           # the same world without the effect
        run_models(con)
        without = results(con)["system_by_pool"]
        draw_world(con, seed, {}, SYSTEM_EFFECT, True)
        run_models(con)
        with_effect = results(con)["system_by_pool"]
        own = with_effect["not_yet_joined"][4] - without["not_yet_joined"][4]
        truth = {"joiners_own": own,
                 "design": own - (with_effect["not_yet_joined"][5] - without["not_yet_joined"][5])}
        for name, value in truth.items():
            planted[name].append(value)
        for pool, target in targets.items():
            effect, low, high = with_effect[pool][:3]
            covered[pool] += low <= truth[target] <= high
            gaps[pool].append(effect - truth[target])
            estimates[pool].append(effect)
    return {"worlds": len(seeds), "system_effect_latent": SYSTEM_EFFECT,
            "planted_value_joiners_own_mean": statistics.fmean(planted["joiners_own"]),
            "planted_value_design_mean": statistics.fmean(planted["design"]),
            **{pool: {"target": targets[pool], "estimate_mean": statistics.fmean(estimates[pool]),
                      "estimate_minus_planted_mean": statistics.fmean(gaps[pool]),
                      "interval_covers_planted_value": covered[pool] / len(seeds)} for pool in targets}}


def planted_groups(con, truth: dict) -> tuple[set[str], set[str], set[str]]:
    """The generator's planted improvers and decliners, and up to as many decliners again chosen (by a
    fixed hash) among the other trusts with at least six joiners: the generator's decliners have one weak joiner each,
    too few for any comparison to detect, so they alone would test nothing."""
    def keys(pattern):
        return {f"gias:{p['group_uid']}" for p in truth["patterns"]
                if p["pattern"] == pattern and p["group_kind"] == "Multi-academy trust"}
    improvers, decliners = keys("improves_weak_joiners"), keys("declines_after_joining")
    candidates = [k for k, in con.execute("select group_key from study_candidates order by hash(group_key), group_key"
                                         ).fetchall() if k not in improvers | decliners]
    return improvers, decliners, set(candidates[:len(decliners)])
