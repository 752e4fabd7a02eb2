"""Planted patterns of the synthetic world (groups and local authorities given a known effect)
and the ground truth that records them. A part of ``world.Builder``.
"""

from __future__ import annotations

from datetime import date

from .world_entities import Group, Site, days


class PlantedPatternsMixin:
    """Builder steps that plant known group and local-authority effects and report them."""

    # -- planted patterns ------------------------------------------------------------------
    def plant_patterns(self) -> None:
        """Give chosen groups a known effect; recorded in the ground truth."""
        rng = self.rng
        members = self.members_by_group()
        sized = [m for m in self.mats if len(members.get(m.uid, [])) >= 4]
        rng.shuffle(sized)
        k = max(2, len(sized) // 60)
        # Improvers are trusts that took on weak schools (sponsored academies of weak
        # predecessors), as real sponsor trusts do: a trust with no weak joiners cannot show it.
        def weak_joiners(mat: Group) -> int:
            return sum(1 for site in members.get(mat.uid, []) if site.base_q < -0.8
                       for sp in site.spells if sp.group is mat and sp.how == "sponsored")
        # A handful, as in the real system, each with enough weak joiners to tell from luck.
        improvers = [m for m in sized if weak_joiners(m) >= 6][:max(2, len(sized) // 100)]
        sized = improvers + [m for m in sized if m not in improvers]
        for mat in improvers:
            mat.pattern, mat.effect = "improves_weak_joiners", 1.4
        for mat in sized[k:2 * k]:
            mat.pattern, mat.effect = "declines_after_joining", -1.2
        # Fast growth: a trust that takes on many schools in 2021-2024, outcomes falling.
        growers = [m for m in sized[2 * k:] if m.closed is None][: max(1, k // 2)]
        spare = [s for s in self.sites if any(sp.group.kind == "10" and sp.left is None for sp in s.spells)]
        for mat in growers:
            mat.pattern, mat.effect = "fast_growth_falling_outcomes", -0.9
            for site in spare[: max(6, len(members.get(mat.uid, [])) * 2)]:
                spell = next(sp for sp in site.spells if sp.group.kind == "10" and sp.left is None)
                self.transfer(site, spell, mat, date(2021, 9, 1) + days(rng.uniform(0, 365 * 3)))
            spare = spare[max(6, len(members.get(mat.uid, [])) * 2):]
        # Stale evidence: trusts and LAs whose schools were outstanding and exempt for years.
        for mat in sized[2 * k + len(growers): 3 * k + len(growers)]:
            mat.pattern = "stale_evidence"
        federations = [g for g in self.groups if g.kind == "01" and len(members.get(g.uid, [])) >= 2]
        for fed in federations[: max(1, len(federations) // 100)]:
            fed.pattern, fed.effect = "declines_after_joining", -1.2
        for fed in federations[len(federations) // 100 + 1: len(federations) // 100 + 2]:
            fed.pattern = "stale_evidence"
        las = sorted(self.las, key=lambda la: la.code)
        las[0].pattern, las[0].effect = "improving_local_authority", 0.8
        las[-1].pattern = "stale_evidence"

    def members_by_group(self) -> dict[int, list[Site]]:
        out: dict[int, list[Site]] = {}
        for site in self.sites:
            for sp in site.spells:
                out.setdefault(sp.group.uid, []).append(site)
        return out

    # -- truth ---------------------------------------------------------------------------
    def ground_truth(self) -> dict:
        members = self.members_by_group()
        patterned = []
        for g in self.groups:
            if g.pattern:
                urns = sorted({sp.urn for s in members.get(g.uid, []) for sp in s.spells if sp.group is g})
                patterned.append({"group_kind": g.kind_name, "group_uid": g.uid, "name": g.name,
                                  "pattern": g.pattern, "effect": round(g.effect, 3), "member_urns": urns})
        for la in self.las:
            if la.pattern:
                patterned.append({"group_kind": "Local authority", "la_code": la.code, "name": la.name,
                                  "pattern": la.pattern, "effect": round(la.effect, 3)})
        return {"patterns": patterned}

