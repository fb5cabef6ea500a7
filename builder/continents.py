"""Continent of each ISO 3166-1 alpha-2 country code, for the coverage page.

Grouped after the UN M49 regions, with the Americas split into North America
(including Central America and the Caribbean) and South America.
"""

_BY_CONTINENT = {
    "Africa": "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU "
    "YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW",
    "Asia": "AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP KP OM PK PS PH "
    "QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE",
    "Europe": "AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG VA HU IS IE IM IT JE XK LV LI LT LU MT MD MC "
    "ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB",
    "North America": "AI AG AW BS BB BZ BM BQ VG CA KY CR CU CW DM DO SV GL GD GP GT HT HN JM MQ MX MS NI PA PR BL KN "
    "LC MF PM VC SX TT TC US VI UM",
    "South America": "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE",
    "Oceania": "AS AU CK FJ PF GU HM KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF CC CX",
    "Antarctica": "AQ TF IO",
}

CONTINENT: dict[str, str] = {code: name for name, codes in _BY_CONTINENT.items() for code in codes.split()}


def continent(code: str) -> str:
    """The continent of a country code.

    >>> continent("KE"), continent("CO"), continent("NZ")
    ('Africa', 'South America', 'Oceania')
    """
    return CONTINENT.get(code, "Unknown")
