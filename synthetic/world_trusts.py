"""Academies, trusts, sponsors and federations of the synthetic world: conversions and free
schools, multi- and single-academy trusts, sponsor links, transfers and closures between trusts,
and federations of maintained schools. A part of ``world.Builder``.
"""

from __future__ import annotations

from datetime import date, timedelta

from . import calibration as cal
from . import names
from .world_entities import REGIONS, Group, Site, Spell, days


class AcademiesAndTrustsMixin:
    """Builder steps that turn maintained schools into academies and put schools into groups."""

    # -- academies and trusts ------------------------------------------------------------
    def conversion_date(self, phase: str) -> date:
        # Secondary conversions peaked in 2011-2013; primaries convert steadily since.
        if phase == "Secondary" and self.rng.random() < 0.55:
            return date(2010, 9, 1) + days(self.rng.uniform(0, 365 * 3))
        return date(2011, 1, 1) + days(self.rng.triangular(0, (cal.TODAY - date(2011, 1, 1)).days - 20, 365 * 5))

    def academise(self) -> None:
        rng = self.rng
        open_sites = [s for s in self.sites if s.closes is None]
        academies: list[tuple[date, Site, str]] = []
        for site in open_sites:
            if rng.random() >= cal.ACADEMY_SHARE[site.phase]:
                continue
            if rng.random() < cal.FREE_SCHOOL_SHARE_OF_ACADEMIES and site.phase not in ("Nursery",):
                when = date(2011, 9, 1) + days(rng.uniform(0, (cal.TODAY - date(2011, 9, 1)).days - 30))
                academies.append((when, site, "free school"))
                continue
            when = self.conversion_date(site.phase)
            # Weak schools were far more often made sponsored academies.
            p_sponsored = 0.65 if site.base_q < -0.8 else 0.22
            academies.append((when, site, "sponsored" if rng.random() < p_sponsored else "converter"))
        academies.sort(key=lambda a: (a[0], a[1].id))

        for when, site, how in academies:
            old = site.current
            if how == "free school":
                # A free school is a new site: it has no maintained past.
                site.urns.clear()
                del self.by_urn[old.urn]
                type_code = {"Special": "36", "Alternative provision": "38", "16 plus": "39"}.get(site.phase, "35")
                self.establish(site, type_code, when, "10")
                site.base_q += 0.15
            else:
                old.closed, old.reason_closed = when, "10" if how == "converter" else "11"
                type_code = {
                    ("Special", "converter"): "44", ("Special", "sponsored"): "33",
                    ("Alternative provision", "converter"): "42", ("Alternative provision", "sponsored"): "43",
                    ("16 plus", "converter"): "45", ("16 plus", "sponsored"): "46",
                }.get((site.phase, how), "34" if how == "converter" else "28")
                self.establish(site, type_code, when, "10" if how == "converter" else "11")
        self.assign_trusts([(w, s, h) for w, s, h in academies])

    def assign_trusts(self, academies: list[tuple[date, Site, str]]) -> None:
        rng = self.rng
        sat_n = int(len(academies) * cal.SAT_SHARE_OF_ACADEMIES)
        sat_sites = {id(s) for _, s, h in rng.sample(academies, sat_n) if h == "converter"}
        mat_members = [(w, s, h) for w, s, h in academies if id(s) not in sat_sites]
        # Heavy-tailed MAT sizes: many of 2-5, a few of 40+ (1,321 MATs for ~9.6k academies).
        sizes: list[int] = []
        remaining = len(mat_members)
        while remaining > 0:
            size = 1 if rng.random() < cal.SINGLE_ACADEMY_MATS_SHARE else \
                min(80, max(2, int(rng.paretovariate(1.3) * 2.6)))
            size = min(size, remaining)
            sizes.append(size)
            remaining -= size
        by_region: dict[str, list] = {}
        for item in mat_members:
            by_region.setdefault(item[1].la.region, []).append(item)
        pools = {r: items for r, items in by_region.items()}
        self.mats: list[Group] = []
        region_order = [r for _, r, _ in REGIONS if r in pools]
        for size in sorted(sizes, reverse=True):
            home = max(region_order, key=lambda r: (len(pools[r]), r)) if size >= 25 else \
                rng.choices(region_order, [len(pools[r]) + 0.01 for r in region_order])[0]
            members = []
            for _ in range(size):
                region = home if pools[home] and (size < 25 or rng.random() < 0.75) else \
                    max(region_order, key=lambda r: (len(pools[r]), r))
                if not pools[region]:
                    break
                members.append(pools[region].pop(rng.randrange(len(pools[region]))))
            if not members:
                continue
            members.sort(key=lambda m: (m[0], m[1].id))
            mat = self.new_group("06", names.trust_name(rng, members[0][1].la.name), home, members[0][0])
            mat.effect = rng.gauss(0.05, 0.25)
            self.mats.append(mat)
            for when, site, how in members:
                site.spells.append(Spell(mat, site.current.urn, when, how=how))
        for when, site, how in academies:
            if id(site) in sat_sites:
                sat = self.new_group("10", f"{site.name} Academy Trust", site.la.region, when)
                sat.effect = rng.gauss(0.05, 0.2)
                site.spells.append(Spell(sat, site.current.urn, when, how=how))
        self.make_sponsors(academies)
        self.rebroker()

    def make_sponsors(self, academies) -> None:
        """Sponsored academies link to a sponsor: usually their trust's own sponsor record."""
        rng = self.rng
        sponsor_of: dict[int, Group] = {}
        independent = [self.new_group("05", f"{names.place(rng)} {rng.choice(['University', 'Diocese', 'College', 'Foundation'])}",
                                      rng.choice(REGIONS)[1], date(2009, 1, 1) + days(rng.uniform(0, 2000)))
                       for _ in range(max(2, int(len(self.sites) * 0.004)))]
        for when, site, how in academies:
            if how != "sponsored" or not site.spells:
                continue
            trust = site.spells[0].group
            if rng.random() < 0.45 and trust.kind == "06":
                sponsor = sponsor_of.get(trust.uid)
                if sponsor is None:
                    sponsor = self.new_group("05", trust.name.replace(" Trust", ""), trust.region, trust.opened)
                    sponsor_of[trust.uid] = sponsor
            else:
                sponsor = rng.choice(independent)
            site.spells.append(Spell(sponsor, site.current.urn, when, how="sponsored"))

    def rebroker(self) -> None:
        """Transfers between trusts, trust closures and mergers, SATs joining MATs."""
        rng = self.rng
        mats = self.mats
        for site in self.sites:
            trust_spells = [sp for sp in site.spells if sp.group.kind in ("06", "10")]
            if not trust_spells:
                continue
            spell = trust_spells[-1]
            p = 0.15 if spell.group.kind == "10" else 0.05
            if rng.random() < p:
                move = spell.joined + days(rng.uniform(365, 365 * 8))
                if move >= cal.TODAY - timedelta(days=60):
                    continue
                regional = [m for m in mats if m.region == site.la.region and m.opened < move and m is not spell.group]
                if not regional:
                    continue
                target = rng.choice(regional)
                self.transfer(site, spell, target, move)
        # Closures and mergers: a few MATs close and hand every school to one other trust.
        for mat in rng.sample(mats, max(1, len(mats) // 25)):
            members = [(s, sp) for s in self.sites for sp in s.spells if sp.group is mat and sp.left is None]
            if not members:
                continue
            when = max(sp.joined for _, sp in members) + days(rng.uniform(200, 1500))
            if when >= cal.TODAY - timedelta(days=60):
                continue
            target = rng.choice([m for m in mats if m is not mat and m.opened < when and m.closed is None] or [None])
            if target is None:
                continue
            mat.closed, mat.close_reason = when, "merged" if len(members) > 2 else "closed"
            for site, spell in members:
                self.transfer(site, spell, target, when)

    def transfer(self, site: Site, spell: Spell, target: Group, when: date) -> None:
        spell.left = when
        site.spells.append(Spell(target, site.current.urn, when, how="transfer"))
        if spell.group.kind == "10":
            spell.group.closed, spell.group.close_reason = when, "joined a multi-academy trust"

    def make_federations(self) -> None:
        rng = self.rng
        maintained = [s for s in self.sites if not s.spells and s.closes is None and s.phase in ("Primary", "Nursery")]
        by_la: dict[str, list[Site]] = {}
        for s in maintained:
            by_la.setdefault(s.la.code, []).append(s)
        target = int(len(maintained) * cal.FEDERATIONS_PER_1000_MAINTAINED / 1000)
        made = 0
        for code in sorted(by_la):
            pool = by_la[code]
            rng.shuffle(pool)
            while made < target * (self.las.index(next(la for la in self.las if la.code == code)) + 1) / len(self.las) \
                    and len(pool) >= 2:
                members = [pool.pop() for _ in range(min(len(pool), rng.choice([2, 2, 2, 3])))]
                opened = date(2008, 1, 1) + days(rng.uniform(0, 365 * 13))
                fed = self.new_group("01", f"The {members[0].town} Federation", members[0].la.region, opened)
                fed.effect = rng.gauss(0, 0.15)
                for site in members:
                    site.spells.append(Spell(fed, site.current.urn, opened, how="federation"))
                made += 1

