"""Write GIAS daily extracts of the synthetic world, in GIAS's own dialect.

Windows-1252, CRLF, every header name quoted, integer-typed fields unquoted when they have
a value and ``""`` when empty, everything else quoted; dates dd-mm-yyyy (allgroupsdata and
alllinksdata: dd/mm/yyyy). Columns come from the real header files, so any era can be written.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import polars as pl

from school_groups.sources.registry import get_source

from .world import Establishment, Group, Site, World

INTEGER_COLUMNS = {"URN", "LinkURN", "Linked UID", "StatutoryLowAge", "StatutoryHighAge", "SchoolCapacity",
                   "UKPRN", "FEHEIdentifier", "Easting", "Northing", "SENStat", "SENNoStat", "SenUnitOnRoll",
                   "SenUnitCapacity", "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity", "TeenMothPlaces",
                   "PlacesPRU"}

TYPES = {  # code: (name, establishment type group code, group name)
    "01": ("Community school", "4", "Local authority maintained schools"),
    "02": ("Voluntary aided school", "4", "Local authority maintained schools"),
    "03": ("Voluntary controlled school", "4", "Local authority maintained schools"),
    "05": ("Foundation school", "4", "Local authority maintained schools"),
    "07": ("Community special school", "5", "Special schools"),
    "11": ("Other independent school", "3", "Independent schools"),
    "14": ("Pupil referral unit", "4", "Local authority maintained schools"),
    "15": ("Local authority nursery school", "4", "Local authority maintained schools"),
    "28": ("Academy sponsor led", "10", "Academies"),
    "33": ("Academy special sponsor led", "10", "Academies"),
    "34": ("Academy converter", "10", "Academies"),
    "35": ("Free schools", "11", "Free Schools"),
    "36": ("Free schools special", "11", "Free Schools"),
    "38": ("Free schools alternative provision", "11", "Free Schools"),
    "39": ("Free schools 16 to 19", "11", "Free Schools"),
    "42": ("Academy alternative provision converter", "10", "Academies"),
    "43": ("Academy alternative provision sponsor led", "10", "Academies"),
    "44": ("Academy special converter", "10", "Academies"),
    "45": ("Academy 16-19 converter", "10", "Academies"),
    "46": ("Academy 16 to 19 sponsor led", "10", "Academies"),
}
PHASES = {"Nursery": ("1", "Nursery"), "Primary": ("2", "Primary"), "Secondary": ("4", "Secondary"),
          "16 plus": ("6", "16 plus"), "All-through": ("7", "All-through"), "Special": ("0", "Not applicable"),
          "Alternative provision": ("0", "Not applicable")}
AGES = {"Nursery": (2, 5), "Primary": (4, 11), "Secondary": (11, 18), "16 plus": (16, 19), "All-through": (4, 18),
        "Special": (2, 19), "Alternative provision": (11, 16)}
OPEN_REASONS = {"00": "Not applicable", "99": "Not recorded", "10": "Academy Converter", "11": "Academy Sponsor Led",
                "06": "New Provision"}
CLOSE_REASONS = {"00": "Not applicable", "10": "Academy Converter", "11": "Academy Sponsor Led",
                 "01": "Result of Amalgamation/Merger", "04": "Closure", "11b": "Closure"}
FLAG = {"06": ("1", "Supported by a multi-academy trust"), "10": ("5", "Supported by a single-academy trust"),
        "02": ("3", "Supported by a trust")}


def ddmmyyyy(day: date | None, sep: str = "-") -> str:
    return "" if day is None else f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def write_gias_csv(path: Path, header: tuple[str, ...], columns: dict[str, list], n: int) -> None:
    """Write in GIAS's dialect: only INTEGER_COLUMNS unquoted; header order from the real file."""
    data = {}
    for name in header:
        values = columns.get(name)
        if values is None:
            values = [""] * n
        if name in INTEGER_COLUMNS:
            data[name] = pl.Series(name, [None if v in ("", None) else int(v) for v in values], pl.Int64)
        else:
            data[name] = pl.Series(name, ["" if v is None else str(v) for v in values], pl.String)
    text = pl.DataFrame(data).write_csv(quote_style="non_numeric", null_value='""', line_terminator="\r\n")
    path.write_bytes(text.encode("cp1252"))


def quote_all_csv(path: Path, header: tuple[str, ...], columns: dict[str, list], n: int) -> None:
    """allgroupsdata quotes every field, Group UID included."""
    frame = pl.DataFrame({h: pl.Series(h, [str(v) for v in columns.get(h, [""] * n)], pl.String) for h in header})
    path.write_bytes(frame.write_csv(quote_style="always", line_terminator="\r\n").encode("cp1252"))


def era_header(source_name: str, era_index: int = 0) -> tuple[str, ...]:
    return get_source(source_name).eras[era_index].columns


# -- edubasealldata ----------------------------------------------------------------------------
def active_spells(site: Site, urn: int, day: date, kinds: tuple[str, ...]):
    return [sp for sp in site.spells if sp.urn == urn and sp.group.kind in kinds and sp.active(day)]


def establishment_rows(world: World, day: date, rng: random.Random) -> dict[str, list]:
    cols: dict[str, list] = {}

    def add(name: str, value) -> None:
        cols.setdefault(name, []).append(value)

    pad = day >= date(2025, 1, 1)      # GIAS zero-pads type codes in the current layout
    for site in world.sites:
        for est in site.urns:
            if est.opened is not None and est.opened > day:
                continue
            add_establishment(add, world, site, est, day, pad)
    for extra in other_establishments(world, rng):
        for name in cols:
            add(name, extra.get(name, ""))
    return cols


def add_establishment(add, world: World, site: Site, est: Establishment, day: date, pad: bool) -> None:
    la = site.la
    closed = est.closed is not None and est.closed <= day
    tname, tgroup, tgroup_name = TYPES[est.type_code]
    phase_code, phase_name = PHASES[site.phase]
    low, high = AGES[site.phase]
    trust = active_spells(site, est.urn, day, ("06", "10", "02"))
    sponsor = active_spells(site, est.urn, day, ("05",))
    federation = active_spells(site, est.urn, day, ("01",))
    is_academy = tgroup in ("10", "11")
    add("URN", est.urn)
    add("LA (code)", la.code)
    add("LA (name)", la.name)
    add("EstablishmentNumber", est.est_number)
    add("EstablishmentName", site.name)
    add("TypeOfEstablishment (code)", est.type_code if pad else est.type_code.lstrip("0"))
    add("TypeOfEstablishment (name)", tname)
    add("EstablishmentTypeGroup (code)", tgroup)
    add("EstablishmentTypeGroup (name)", tgroup_name)
    add("EstablishmentStatus (code)", "2" if closed else "1")
    add("EstablishmentStatus (name)", "Closed" if closed else "Open")
    add("ReasonEstablishmentOpened (code)", est.reason_opened)
    add("ReasonEstablishmentOpened (name)", OPEN_REASONS.get(est.reason_opened, "Not applicable"))
    add("OpenDate", ddmmyyyy(est.opened))
    reason_closed = est.reason_closed if closed else "00"
    add("ReasonEstablishmentClosed (code)", reason_closed)
    add("ReasonEstablishmentClosed (name)", CLOSE_REASONS.get(reason_closed, "Closure"))
    add("CloseDate", ddmmyyyy(est.closed) if closed else "")
    add("PhaseOfEducation (code)", phase_code)
    add("PhaseOfEducation (name)", phase_name)
    add("StatutoryLowAge", low)
    add("StatutoryHighAge", high)
    add("Boarders (code)", "1")
    add("Boarders (name)", "No boarders")
    add("NurseryProvision (name)", "Has Nursery Classes" if site.phase == "Primary" and site.id % 3 == 0 else "No Nursery Classes")
    add("OfficialSixthForm (code)", "1" if site.phase in ("Secondary", "All-through", "16 plus") else "2")
    add("OfficialSixthForm (name)", "Has a sixth form" if site.phase in ("Secondary", "All-through", "16 plus") else "Does not have a sixth form")
    add("Gender (code)", "3")
    add("Gender (name)", "Mixed")
    add("ReligiousCharacter (code)", "02" if site.faith else "00")
    add("ReligiousCharacter (name)", "Church of England" if site.faith else "Does not apply")
    add("ReligiousEthos (name)", "Church of England" if site.faith else "Does not apply")
    add("Diocese (code)", f"CE{10 + site.la.name.__len__() % 40}" if site.faith else "0000")
    add("Diocese (name)", f"Diocese of {site.la.name}" if site.faith else "Not applicable")
    add("AdmissionsPolicy (code)", "0" if site.phase != "Secondary" else "4")
    add("AdmissionsPolicy (name)", "Not applicable" if site.phase != "Secondary" else "Non-selective")
    add("SchoolCapacity", "" if closed else site.capacity)
    add("SpecialClasses (code)", "2")
    add("SpecialClasses (name)", "No Special Classes")
    census = date(day.year if day.month >= 2 else day.year - 1, 1, 16)
    add("CensusDate", "" if closed else ddmmyyyy(census))
    add("NumberOfPupils", "" if closed else str(site.pupils))
    add("NumberOfBoys", "" if closed else str(site.pupils // 2))
    add("NumberOfGirls", "" if closed else str(site.pupils - site.pupils // 2))
    add("PercentageFSM", "" if closed else f"{site.fsm:.1f}")
    flag = FLAG.get(trust[0].group.kind) if trust else None
    add("TrustSchoolFlag (code)", flag[0] if flag else "0")
    add("TrustSchoolFlag (name)", flag[1] if flag else ("Not supported by a trust" if not is_academy else "Not applicable"))
    add("Trusts (code)", str(trust[0].group.uid) if trust else "")
    add("Trusts (name)", trust[0].group.name if trust else "")
    add("SchoolSponsorFlag (name)", "Linked to a sponsor" if sponsor else ("Not applicable" if is_academy else "-"))
    add("SchoolSponsors (name)", sponsor[0].group.name if sponsor else "")
    add("FederationFlag (name)", "Supported by a federation" if federation else "Not under a federation")
    add("Federations (code)", str(federation[0].group.uid) if federation else "")
    add("Federations (name)", federation[0].group.name if federation else "")
    add("UKPRN", 10_000_000 + est.urn if is_academy else "")
    add("FurtherEducationType (name)", "Not applicable")
    add("LastChangedDate", ddmmyyyy(min(day, max(est.opened or date(2015, 1, 1), date(2015, 1, 1)))))
    add("Street", f"{site.id % 200 + 1} {site.town} Road")
    add("Town", site.town)
    add("County (name)", "Not recorded")
    add("Postcode", site.postcode)
    add("HeadTitle (name)", "Mrs" if site.id % 2 else "Mr")
    add("HeadFirstName", "Alex")
    add("HeadLastName", f"Head{site.id}")
    add("HeadPreferredJobTitle", "Headteacher")
    add("GOR (code)", la.region_code)
    add("GOR (name)", la.region)
    add("UrbanRural (code)", "UN1" if pad else "C1")
    add("UrbanRural (name)", "Urban: Nearer to a major town or city" if pad else "(England/Wales) Urban city and town")
    add("Easting", 400_000 + site.id % 90_000)
    add("Northing", 200_000 + (site.id * 7) % 90_000)
    add("PreviousLA (code)", "999")
    add("Country (name)", "")
    add("QABName (code)", "0")
    add("QABName (name)", "Not applicable")
    add("EstablishmentAccredited (code)", "0")
    add("EstablishmentAccredited (name)", "Not applicable")
    add("CHNumber", trust[0].group.companies_house if trust else "")
    add("FSM", "" if closed else str(int(site.pupils * site.fsm / 100)))
    add("OfstedRating (name)", "")
    add("RSCRegion (name)", la.region)


def other_establishments(world: World, rng: random.Random):
    """Independent schools and other non-state establishments GIAS also lists."""
    count = int(world.scale.open_schools * 0.45)
    for i in range(count):
        la = world.las[i % len(world.las)]
        yield {"URN": 300_000 + 2 * i, "LA (code)": la.code, "LA (name)": la.name, "EstablishmentNumber": f"{6000 + i % 3000}",
               "EstablishmentName": f"{la.name} Independent School {i}", "TypeOfEstablishment (code)": "11",
               "TypeOfEstablishment (name)": "Other independent school", "EstablishmentTypeGroup (code)": "3",
               "EstablishmentTypeGroup (name)": "Independent schools",
               "EstablishmentStatus (code)": "1" if i % 3 else "2", "EstablishmentStatus (name)": "Open" if i % 3 else "Closed",
               "ReasonEstablishmentOpened (code)": "00", "ReasonEstablishmentOpened (name)": "Not applicable",
               "OpenDate": "", "ReasonEstablishmentClosed (code)": "00",
               "ReasonEstablishmentClosed (name)": "Not applicable", "CloseDate": "" if i % 3 else "31-08-2015",
               "PhaseOfEducation (code)": "0", "PhaseOfEducation (name)": "Not applicable",
               "StatutoryLowAge": 3 + i % 5, "StatutoryHighAge": 16 + i % 3, "GOR (code)": la.region_code,
               "GOR (name)": la.region, "PreviousLA (code)": "999", "Easting": 350_000 + i, "Northing": 150_000 + i,
               "RSCRegion (name)": la.region}


def write_establishments(world: World, day: date, out: Path, era_index: int = 0) -> Path:
    rng = random.Random(f"{world.seed}-edubase-{day}")
    cols = establishment_rows(world, day, rng)
    n = len(cols["URN"])
    for name in cols:
        assert len(cols[name]) == n, name
    path = out / f"edubasealldata{day:%Y%m%d}.csv"
    write_gias_csv(path, era_header("gias_establishments", era_index), cols, n)
    return path


# -- links -----------------------------------------------------------------------------------
def write_links(world: World, day: date, out: Path) -> Path:
    cols: dict[str, list] = {k: [] for k in ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")}
    for site in world.sites:
        known = [e for e in site.urns if e.opened is None or e.opened <= day]
        for old, new in zip(known, known[1:]):
            when = ddmmyyyy(new.opened) if site.id % 4 else ""   # about a quarter have no date, as published
            for urn, link, name, kind in ((old.urn, new.urn, site.name, "Successor"),
                                          (new.urn, old.urn, site.name, "Predecessor")):
                cols["URN"].append(urn)
                cols["LinkURN"].append(link)
                cols["LinkName"].append(name)
                cols["LinkType"].append(kind)
                cols["LinkEstablishedDate"].append(when)
    order = sorted(range(len(cols["URN"])), key=lambda i: (cols["URN"][i], cols["LinkURN"][i]))
    cols = {k: [v[i] for i in order] for k, v in cols.items()}
    path = out / f"links_edubasealldata{day:%Y%m%d}.csv"
    write_gias_csv(path, era_header("gias_links"), cols, len(order))
    return path


# -- groups ----------------------------------------------------------------------------------
def groups_known(world: World, day: date) -> list[Group]:
    return [g for g in world.groups if g.opened <= day]


def write_groups(world: World, day: date, out: Path) -> Path:
    groups = groups_known(world, day)
    cols: dict[str, list] = {}

    def add(name, value):
        cols.setdefault(name, []).append(value)

    for g in groups:
        closed = g.closed is not None and g.closed <= day
        is_trust = g.kind in ("06", "10", "02")
        add("Group UID", g.uid)
        add("Group ID", g.group_id)
        add("Group Name", g.name)
        add("Companies House Number", g.companies_house)
        add("Group Type (code)", g.kind)
        add("Group Type", g.kind_name)
        add("Closed Date", ddmmyyyy(g.closed, "/") if closed else "")
        add("Open date", "" if is_trust else ddmmyyyy(g.opened, "/"))
        add("Incorporated on (open date)", ddmmyyyy(g.opened, "/") if is_trust else "")
        add("Group Status (code)", "CLOSED" if closed else "OPEN")
        add("Group Status", "Closed" if closed else "Open")
        add("Group County", "Not recorded")
        add("Head of Group Title", "Not recorded")
    path = out / f"allgroupsdata{day:%Y%m%d}.csv"
    quote_all_csv(path, era_header("gias_groups"), cols, len(groups))
    return path


def current_links(world: World, day: date, kinds: tuple[str, ...]):
    for site in world.sites:
        est = site.urn_on(day)
        if est is None:
            continue
        for sp in site.spells:
            if sp.urn == est.urn and sp.group.kind in kinds and sp.active(day):
                yield site, est, sp


def link_columns(world: World, day: date, kinds: tuple[str, ...], uid_column: str, date_sep: str) -> dict[str, list]:
    cols: dict[str, list] = {}

    def add(name, value):
        cols.setdefault(name, []).append(value)

    for site, est, sp in current_links(world, day, kinds):
        g = sp.group
        is_trust = g.kind in ("06", "10", "02")
        add("URN", est.urn)
        add(uid_column, g.uid)
        add("Group ID", g.group_id)
        add("Group Name", g.name)
        add("Companies House Number", g.companies_house)
        add("Group Type (code)", g.kind)
        add("Group Type", g.kind_name)
        add("Closed Date", "")
        add("Open date", "" if is_trust else ddmmyyyy(g.opened, date_sep))
        add("Incorporated on (open date)", ddmmyyyy(g.opened, date_sep) if is_trust else "")
        add("Group Status (code)", "OPEN")
        add("Group Status", "Open")
        add("FederationType", "Hard" if g.kind == "01" else "")
        add("Joined date", ddmmyyyy(sp.joined, date_sep))
        add("EstablishmentName", site.name)
        add("TypeOfEstablishment (code)", est.type_code)
        add("TypeOfEstablishment (name)", TYPES[est.type_code][0])
        add("PhaseOfEducation (code)", PHASES[site.phase][0])
        add("PhaseOfEducation (name)", PHASES[site.phase][1])
        add("LA (code)", site.la.code)
        add("LA (name)", site.la.name)
    return cols


def write_group_links(world: World, day: date, out: Path) -> Path:
    cols = link_columns(world, day, ("01", "02", "05", "06", "10"), "Group UID", "/")
    path = out / f"alllinksdata{day:%Y%m%d}.csv"
    quote_all_csv(path, era_header("gias_group_links"), cols, len(cols.get("URN", [])))
    return path


def write_academy_trust_links(world: World, day: date, out: Path) -> Path:
    """Open academies only; 21 header names but 20 values a row (HasSharedHT never written)."""
    cols = link_columns(world, day, ("05", "06", "10"), "Linked UID", "-")
    keep = [i for i, tcode in enumerate(cols.get("TypeOfEstablishment (code)", [])) if TYPES[tcode][1] in ("10", "11")]
    cols = {k: [v[i] for i in keep] for k, v in cols.items()}
    header = era_header("gias_academy_trust_links")
    path = out / f"grouplinks_edubaseallacademiesandfree{day:%Y%m%d}.csv"
    write_gias_csv(path, header[:-1], cols, len(keep))
    text = path.read_bytes().split(b"\r\n", 1)
    full_header = ",".join(f'"{h}"' for h in header).encode("cp1252")
    path.write_bytes(full_header + b"\r\n" + text[1])
    return path


def write_all(world: World, day: date, out: Path) -> list[Path]:
    return [write_establishments(world, day, out), write_links(world, day, out), write_groups(world, day, out),
            write_group_links(world, day, out), write_academy_trust_links(world, day, out)]
