"""The demo's products and customer companies."""

from __future__ import annotations

import random
from decimal import Decimal

# (external id, name, family, list price per year in EUR)
PRODUCTS = [
    ("P-CORE", "Core Platform", "Platform", 24000),
    ("P-ENT", "Enterprise Platform", "Platform", 60000),
    ("P-ANALYTICS", "Analytics Add-on", "Add-on", 9000),
    ("P-INTEGRATE", "Integration Pack", "Add-on", 6000),
    ("P-SUPPORT", "Premium Support", "Services", 4800),
    ("P-ONBOARD", "Onboarding Services", "Services", 7500),
]
PLATFORMS = ("P-CORE", "P-ENT")
ADD_ONS = ("P-ANALYTICS", "P-INTEGRATE", "P-SUPPORT", "P-ONBOARD")
PRICE = {external_id: price for external_id, _, _, price in PRODUCTS}

# (segment, employees range, share of accounts, deal size multiplier range)
SEGMENTS = [
    ("SMB", (20, 199), 0.45, (0.4, 0.9)),
    ("Mid-Market", (200, 1999), 0.4, (0.9, 2.2)),
    ("Enterprise", (2000, 40000), 0.15, (2.0, 5.0)),
]
INDUSTRIES = [
    "Software",
    "Manufacturing",
    "Logistics",
    "Financial Services",
    "Healthcare",
    "Retail",
    "Energy",
    "Professional Services",
    "Telecommunications",
    "Education",
]
FIRST = [
    "North", "Blue", "Bright", "Silver", "Iron", "Green", "Red", "Oak", "Stone", "Clear",
    "Swift", "High", "Deep", "Star", "Sun", "Lake", "River", "Peak", "Cedar", "Falcon",
    "Polar", "Amber", "Coral", "Delta", "Echo", "Granite", "Harbor", "Maple", "Nova", "Orbit",
]  # fmt: skip
SECOND = [
    "wind", "water", "field", "gate", "bridge", "point", "line", "works", "stone", "light",
    "wave", "path", "ridge", "port", "vale", "crest", "forge", "mark", "shore", "view",
]  # fmt: skip
SUFFIX = {
    "Software": ["Systems", "Labs", "Digital"],
    "Manufacturing": ["Industries", "Manufacturing", "Components"],
    "Logistics": ["Logistics", "Freight", "Transport"],
    "Financial Services": ["Capital", "Finance", "Partners"],
    "Healthcare": ["Health", "Medical", "Care"],
    "Retail": ["Retail", "Stores", "Brands"],
    "Energy": ["Energy", "Power", "Renewables"],
    "Professional Services": ["Consulting", "Advisory", "Group"],
    "Telecommunications": ["Telecom", "Networks", "Connect"],
    "Education": ["Academy", "Learning", "Institute"],
}
LEGAL = {
    "Netherlands": "B.V.",
    "Belgium": "NV",
    "Luxembourg": "S.A.",
    "Germany": "GmbH",
    "Austria": "GmbH",
    "Switzerland": "AG",
    "United Kingdom": "Ltd",
    "Ireland": "Ltd",
    "Sweden": "AB",
    "Denmark": "A/S",
    "Norway": "AS",
    "Finland": "Oy",
    "France": "SAS",
    "Spain": "S.L.",
    "Portugal": "Lda",
    "Italy": "S.r.l.",
    "Poland": "Sp. z o.o.",
    "Czechia": "s.r.o.",
}


def product_records() -> list[dict]:
    return [
        {"external_id": ext, "name": name, "family": family, "list_price": Decimal(price)}
        for ext, name, family, price in PRODUCTS
    ]


def account_record(rng: random.Random, external_id: str, country: str, taken: set[str]) -> dict:
    """A company in `country`, with a name no other demo account has."""
    industry = rng.choice(INDUSTRIES)
    roll, segment = rng.random(), SEGMENTS[-1]
    for candidate in SEGMENTS:
        if roll < candidate[2]:
            segment = candidate
            break
        roll -= candidate[2]
    name = ""
    while not name or name in taken:
        stem = rng.choice(FIRST) + rng.choice(SECOND)
        name = f"{stem} {rng.choice(SUFFIX[industry])} {LEGAL.get(country, '')}".strip()
        if name in taken:
            name = f"{stem} {country} {rng.choice(SUFFIX[industry])} {LEGAL.get(country, '')}"
    taken.add(name)
    employees = rng.randint(*segment[1])
    # Many CRMs hold no revenue figure for smaller prospects: left missing, not guessed.
    revenue = None
    if segment[0] != "SMB" or rng.random() < 0.4:
        revenue = Decimal(round(employees * rng.uniform(90, 260))) * 1000
    return {
        "external_id": external_id,
        "name": name,
        "segment": segment[0],
        "industry": industry,
        "employees": employees if rng.random() < 0.9 else None,
        "annual_revenue": revenue,
        "country": country,
        # Always present (empty): the importer settles parent links after every accounts file.
        "parent": None,
    }


def deal_size(rng: random.Random, segment: str, product: str) -> Decimal:
    """A first-year amount: list price scaled to the customer's size, rounded to 100."""
    low, high = next(s[3] for s in SEGMENTS if s[0] == segment)
    return Decimal(round(PRICE[product] * rng.uniform(low, high), -2))
