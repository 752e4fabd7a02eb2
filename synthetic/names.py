"""Deterministic, plausible English names for places, schools, trusts and people."""

from __future__ import annotations

import random

PLACE_START = ["Ash", "Brad", "Chester", "Dun", "Elm", "Fair", "Glen", "Hart", "Ivy", "King", "Lang", "Marl",
               "North", "Oak", "Pen", "Queens", "Rother", "Stan", "Thorn", "Upton", "Wal", "Wick", "York",
               "Bram", "Church", "Holm", "Lyn", "Mill", "Red", "Stone", "Well", "Wood", "Ald", "Bere", "Cran"]
PLACE_END = ["ford", "ley", "ton", "field", "bury", "ham", "worth", "dale", "bridge", "stead", "by", "wick",
             "mouth", "borough", "minster", "hurst", "combe", "port", "well", "thorpe"]
SAINTS = ["St Mary's", "St John's", "St Peter's", "St Paul's", "St Joseph's", "St Michael's", "Holy Trinity",
          "Christ Church", "All Saints", "St Thomas à Becket", "St Andrew's", "Our Lady's", "St Anne's"]
TRUST_WORDS = ["Learning", "Education", "Academies", "Schools", "Partnership", "Collaborative", "Alliance",
               "Community", "Multi Academy", "Diocesan", "Catholic Academy", "Family of Schools"]
TRUST_HEADS = ["Aspire", "Bright Futures", "Horizon", "Summit", "Compass", "Kite", "Lighthouse", "Northern",
               "Pennine", "Vale", "Unity", "Endeavour", "Beacon", "Evolve", "Pioneer", "Spires", "Harmony",
               "Keystone", "Meridian", "Riverside", "Oakwood", "Willow", "Greenfield", "Heritage", "Inspire"]
FIRST = ["Sarah", "James", "Emma", "David", "Rachel", "Mark", "Helen", "Paul", "Claire", "Andrew", "Joanna",
         "Nadia", "Imran", "Chloé", "Siân", "Tomás", "Zoë", "Priya", "Olu", "Gráinne"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Patel", "Khan", "Evans", "Thomas",
        "O'Brien", "Nowak", "Okafor", "Hughes", "Clarke", "Lewis", "D'Souza", "Walker", "Ahmed", "Wright"]


def place(rng: random.Random) -> str:
    return rng.choice(PLACE_START) + rng.choice(PLACE_END)


def school_name(rng: random.Random, town: str, phase: str, faith: bool) -> str:
    base = rng.choice(SAINTS) if faith else rng.choice([town, place(rng), f"{town} {rng.choice(['Park', 'Hill', 'Green', 'Road', 'Vale'])}"])
    suffix = {
        "Primary": rng.choice(["Primary School", "Church of England Primary School" if faith else "Primary School",
                               "Infant School", "Junior School", "Community Primary School"]),
        "Secondary": rng.choice(["High School", "School", "College", "Academy"]),
        "Special": rng.choice(["School", "Special School", "Learning Centre"]),
        "Alternative provision": rng.choice(["Pupil Referral Unit", "Learning Centre", "Tuition Centre"]),
        "Nursery": "Nursery School",
        "All-through": rng.choice(["School", "All-Through School"]),
        "16 plus": rng.choice(["Sixth Form College", "Sixth Form"]),
    }[phase]
    return f"{base} {suffix}"


def trust_name(rng: random.Random, region_word: str) -> str:
    head = rng.choice(TRUST_HEADS + [region_word])
    return f"{head} {rng.choice(TRUST_WORDS)} Trust"


def person(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(["Mr", "Mrs", "Ms", "Dr", "Miss"]), rng.choice(FIRST), rng.choice(LAST)


def postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    area = rng.choice(["B", "BS", "CB", "DE", "GU", "L", "LS", "M", "NE", "NG", "NW", "OX", "PO", "S", "SE", "TS", "WV"])
    return f"{area}{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
