"""The faults of issue #9, each as a whole kind: every field and command it reaches.

3 impossible dates, 4 YAML 1.1 type guesses, 5 resource limits, 6 non-finite numbers,
7 one mistake with two messages, 8 invisible and direction-changing characters,
9 ``diagnose`` pointing at the wrong line. Each test failed before the fix.
"""

from __future__ import annotations

import ast
import math
import types
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from builder import load, model, situation
from builder.cli import main
from builder.load import load_text
from builder.problems import quote
from builder.validate import check_paths, validate_raw
from conftest import DATA, ROOT

FIXTURE = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8")
EXAMPLE = (ROOT / "builder" / "templates" / "situation.yaml").read_text("utf-8")


def _check(text: str, name: str = "river-town-example.yaml"):
    """Problems of a case text as (line, code, message, fix) tuples, and the case if valid."""
    raw, problems = load_text(text, Path(name))
    case = None
    if raw is not None and not problems:
        case, problems = validate_raw(raw)
    return case, problems


def _edit(old: str, new: str, text: str = FIXTURE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- 3. Impossible dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date, reason",
    [("2026-02-29", "day is out of range for month"), ("2025-04-31", "day is out of range"), ("2026-13-01", "month")],
)
def test_impossible_date_is_a_located_problem(date, reason, capsys, tmp_path):
    text = _edit("last_reviewed: 2026-11-26", f"last_reviewed: {date}")
    case, problems = _check(text)
    assert case is None
    assert [(p.line, p.column, p.code) for p in problems] == [(18, 16, "bad-date")]
    assert reason in problems[0].message and "YYYY-MM-DD" in problems[0].fix
    path = tmp_path / "river-town-example.yaml"
    path.write_text(text, "utf-8")
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "error[bad-date]" in out


def test_a_bad_date_does_not_hide_other_files(tmp_path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "river-town-example.yaml").write_text(_edit("2026-11-26", "2026-02-29"), "utf-8")
    other = _edit("id: river-town-example", "id: other").replace("title: River Town", "title: Other town")
    (cases / "other.yaml").write_text(_edit("    holder: farmers", "    holder: farmer", other), "utf-8")
    assert main(["build", "--cases", str(cases), "--site-dir", str(tmp_path / "site")]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "other.yaml" in out and "error[unknown-actor]" in out
    assert "river-town-example.yaml:18:16: error[bad-date]" in out


@pytest.mark.parametrize("value", ["2026-1-31", "31/01/2026", "20260131", "0", "2026-01-31T10:00:00", "yesterday"])
def test_dates_must_be_written_year_month_day(value):
    case, problems = _check(_edit("last_reviewed: 2026-11-26", f"last_reviewed: {value}"))
    assert [(p.line, p.code) for p in problems] == [(18, "bad-date")], [p.format() for p in problems]


def test_an_unquoted_date_in_a_text_field_stays_text():
    case, problems = _check(_edit("    period: 2002 vs 2006", "    period: 2002-03-04"))
    assert problems == [] and case.outcomes[0].period == "2002-03-04"


# --- 4. YAML 1.1 type guesses ----------------------------------------------------------------------


def test_the_loader_is_libyaml_based():
    if yaml.__with_libyaml__:
        assert issubclass(load.Loader, yaml.CSafeLoader)


@pytest.mark.parametrize(
    "written, value",
    [
        ("NO", "NO"),
        ("no", "no"),
        ("yes", "yes"),
        ("On", "On"),
        ("OFF", "OFF"),
        ("y", "y"),
        ("3:1", "3:1"),
        ("20:04", "20:04"),
        ("1:30:00", "1:30:00"),
        ("2026-02-29", "2026-02-29"),
        ("2001-03-04 10:00:00", "2001-03-04 10:00:00"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("=", "="),
        ("<<", "<<"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("12", 12),
        ("-3", -3),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        (".inf", math.inf),
    ],
)
def test_plain_scalars_follow_yaml_1_2(written, value):
    raw, problems = load_text(f"key: {written}\nlist: [{written}]\n", Path("x.yaml"))
    assert problems == []
    assert raw.data == {"key": value, "list": [value]}


def test_norway_is_a_country_not_a_boolean():
    text = _edit("countries: [NL]", "countries: [NO, NL]")
    case, problems = _check(text)
    assert problems == [] and case.countries == ["NO", "NL"]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO", "3:1", "20:04"])
def test_yaml_1_1_words_are_text_in_text_fields(word):
    case, problems = _check(_edit("short_name: Town", f"short_name: {word}"))
    assert problems == [] and case.actors[0].short_name == word


@pytest.mark.parametrize(
    "old, new, message, fix",
    [
        ("short_name: Town", "short_name: true", "YAML read `true` as the boolean true", "'true'"),
        ("short_name: Town", "short_name: 1.10", "YAML read `1.10` as the number 1.1", "'1.10'"),
        ("short_name: Town", "short_name: 0x1F", "YAML read `0x1F` as the number 31", "'0x1F'"),
        ("short_name: Town", "short_name: 1984", "YAML read `1984` as the number 1984", "'1984'"),
        ("countries: [NL]", "countries: [NL, 46]", "YAML read `46` as the number 46", "'46'"),
        ("mission: Keep farming viable.", "mission: null", "YAML read `null` as nothing", "'null'"),
        ("mission: Keep farming viable.", "mission: ~", "YAML read `~` as nothing", "'~'"),
        ("    period: 2002 vs 2006", "    period: 2002.5", "YAML read `2002.5` as the number 2002.5", "'2002.5'"),
        ("title: River Town", "title: 'O''Brien' #", None, None),
    ],
)
def test_a_guessed_type_says_what_yaml_did_and_how_to_quote(old, new, message, fix):
    case, problems = _check(_edit(old, new))
    if message is None:
        assert problems == []
        return
    assert [p.code for p in problems] == ["needs-quotes"], [p.format() for p in problems]
    assert message in problems[0].message
    assert problems[0].fix.endswith(f"write it in quotes: {fix}") or f"in quotes: {fix}" in problems[0].fix


@pytest.mark.parametrize(
    "old, new, fix",
    [
        ("approximate: true,", "approximate: yes,", "YAML reads only true and false as booleans"),
        ("approximate: true,", "approximate: Off,", "YAML reads only true and false as booleans"),
        ("approximate: true,", 'approximate: "true",', "remove the quotes: write true"),
        ("  year: 2003", '  year: "2003"', "remove the quotes: write 2003"),
        ("    before: 3.5", "    before: 3:1", "write a number such as 12.5"),
        ("    before: 3.5", "    before: '1e3'", "remove the quotes: write 1e3"),
        ("  year: 2003", "  year: 2003.0", "write a whole number, such as 2004"),
        ("  year: 2003", "  year: true", "write deal.year as a whole number"),
    ],
)
def test_numbers_and_booleans_are_what_they_look_like(old, new, fix):
    case, problems = _check(_edit(old, new))
    assert [p.code for p in problems] == ["wrong-type"], [p.format() for p in problems]
    assert fix in problems[0].fix


@pytest.mark.parametrize(
    "new, fix",
    [
        ("    realized: yes", "write true or false (or one of: partly, unknown); YAML reads only true and false"),
        ("    realized: Off", "write true or false (or one of: partly, unknown); YAML reads only true and false"),
        ('    realized: "true"', "remove the quotes: write true"),
    ],
)
def test_a_boolean_or_a_word_gets_the_boolean_advice(new, fix):
    """``realized`` takes true, false, partly or unknown: a YAML 1.1 boolean word gets one message, with the
    advice about booleans."""
    case, problems = _check(_edit("    realized: true", new))
    assert [p.code for p in problems] == ["unknown-value"], [p.format() for p in problems]
    assert problems[0].fix.startswith(fix)


def test_keys_are_read_as_written():
    raw, problems = load_text("1: a\nyes: b\nnull: c\n3:1: d\n", Path("x.yaml"))
    assert problems == [] and raw.data == {"1": "a", "yes": "b", "null": "c", "3:1": "d"}


def test_reading_lists_and_situations_read_scalars_the_same_way():
    title = next(line for line in EXAMPLE.splitlines() if line.startswith("title: "))
    assert situation.parse_situation(_edit(title, "title: NO", EXAMPLE)).title == "NO"
    with pytest.raises(ValueError, match=r"error\[needs-quotes\] title: YAML read `1984`"):
        situation.parse_situation(_edit(title, "title: 1984", EXAMPLE))


# --- 5. Limits (most are in test_hostile.py) -----------------------------------------------------------


def test_limits_leave_room_above_the_real_cases():
    """Measured: the largest real case and its deepest nesting and value count, against the limits."""
    files = sorted((ROOT / "cases").rglob("*.yaml"))
    biggest = max(p.stat().st_size for p in files)
    assert biggest * 10 < load.MAX_BYTES

    def depth(node, d=1):
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        return max([depth(c, d + 1) for c in children], default=d)

    def count(node):
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        return 1 + sum(count(c) for c in children)

    datas = [load.load_file(p)[0].data for p in files]
    assert max(depth(d) for d in datas) * 2 <= load.MAX_DEPTH
    assert max(count(d) for d in datas) * 20 < load.MAX_VALUES


def test_the_limits_are_documented():
    page = (ROOT / "docs" / "contribute" / "limits.md").read_text("utf-8")
    for number in (load.MAX_BYTES, load.MAX_DEPTH, load.MAX_ALIASES, load.MAX_VALUES):
        assert f"{number:,}" in page, number


# --- 6. Non-finite numbers -------------------------------------------------------------------------------


def _models() -> list[type[BaseModel]]:
    found = [m for m in vars(model).values() if isinstance(m, type) and issubclass(m, BaseModel)]
    found += [m for m in vars(situation).values() if isinstance(m, type) and issubclass(m, BaseModel)]
    return [m for m in found if m.__module__ in (model.__name__, situation.__name__)]


def test_every_model_refuses_nan_and_infinity_and_is_strict():
    for m in _models():
        assert m.model_config.get("allow_inf_nan") is False, m.__name__
        assert m.model_config.get("strict") is True, m.__name__


@pytest.mark.parametrize("written", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1e999", "-1e400"])
@pytest.mark.parametrize(
    "old, field",
    [("    before: 3.5", "outcomes[0].before"), ("    after: 2.9", "outcomes[0].after"), ("  year: 2003", "deal.year")],
)
def test_non_finite_numbers_are_refused(written, old, field):
    case, problems = _check(_edit(old, old.split(":")[0] + f": {written}"))
    assert [p.code for p in problems] == ["not-finite"], [p.format() for p in problems]
    assert problems[0].message.startswith(f"{field}: `{written}` is not a finite number")
    assert "12.5" in problems[0].fix


# --- 7. One mistake, one message ---------------------------------------------------------------------------


def _union_fields(m: type[BaseModel], seen: set) -> set[str]:
    """Fields whose type is a union of two or more kinds besides None (``int | Literal[...]``)."""
    found = set()
    if m in seen:
        return found
    seen.add(m)
    for name, info in m.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        if typing.get_origin(info.annotation) in (typing.Union, types.UnionType):
            inner = [typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a for a in args]
            flat = [
                x
                for a in inner
                for x in (typing.get_args(a) if typing.get_origin(a) in (typing.Union, types.UnionType) else [a])
            ]
            if len(flat) >= 2:
                found.add(f"{m.__name__}.{name}")
        for arg in [info.annotation, *args, *(x for a in args for x in typing.get_args(a))]:
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                found |= _union_fields(arg, seen)
    return found


UNION_PATHS = {
    "Years.end": ("years: {start: 2001, end: 2004}", "years: {{start: 2001, end: {}}}", "years.end"),
    "Stage.period": ('    period: "2003"\n', "    period: {}\n", "process.agreement.period"),
    "HoldingEnvironment.period": (
        "    narrative: A flood in 2002 kept everyone at the table.\n",
        "    narrative: A flood in 2002 kept everyone at the table.\n    period: {}\n",
        "process.holding_environment.period",
    ),
    "Outcome.period": ("    period: 2002 vs 2006\n", "    period: {}\n", "outcomes[0].period"),
    "Interdependency.realized": ("    realized: true\n", "    realized: {}\n", "interdependencies[0].realized"),
}


def test_every_union_field_is_tested_for_one_message():
    assert _union_fields(model.Case, set()) == set(UNION_PATHS)


@pytest.mark.parametrize("field", UNION_PATHS)
@pytest.mark.parametrize("value", ["[2004]", "{a: 1}", "2004.5", "true", "onging", "2200", "1700", "''"])
def test_a_wrong_value_in_a_union_field_gives_one_message(field, value):
    old, new, where = UNION_PATHS[field]
    case, problems = _check(_edit(old, new.format(value)))
    mentions = [p for p in problems if p.message.startswith(where)]
    assert len(mentions) <= 1 and len(problems) == len(mentions), [p.format() for p in problems]


def test_the_message_fits_the_mistake():
    _, problems = _check(_edit("end: 2004}", "end: onging}"))
    assert [(p.code, p.fix) for p in problems] == [
        ("unknown-value", "did you mean 'ongoing'? use one of: ongoing, or a whole number")
    ]
    _, problems = _check(_edit("end: 2004}", "end: 2200}"))
    assert [(p.code, p.fix) for p in problems] == [("out-of-range", "use a value of at most 2100, or 'ongoing'")]
    _, problems = _check(_edit("end: 2004}", "end: [2004]}"))
    assert [(p.code, p.message) for p in problems] == [
        ("wrong-type", "years.end should be a whole number or 'ongoing', not a list")
    ]


def test_a_misspelt_id_declaration_is_one_message():
    _, problems = _check(_edit("  - id: farmers", "  - id: Farmers"))
    assert [p.code for p in problems] == ["bad-format"], [p.format() for p in problems]


# --- 8. Characters -------------------------------------------------------------------------------------------

REFUSED = {
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u2060": "U+2060 WORD JOINER",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\x00": "U+0000 NULL",
    "\x1b": "U+001B ESCAPE",
    "\x7f": "U+007F DELETE",
    "\x85": "U+0085 NEXT LINE",
    "\x9f": "U+009F CONTROL CHARACTER",
    "\u00ad": "U+00AD SOFT HYPHEN",
    "\u2028": "U+2028 LINE SEPARATOR",
    "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A",
}


@pytest.mark.parametrize("char", REFUSED, ids=[n.split(" ", 1)[0] for n in REFUSED.values()])
@pytest.mark.parametrize(
    "old", ["name: River Town council", "title: River Town", "  recognition:", "# A synthetic", "id: town"]
)
def test_refused_characters_are_named_and_located(char, old):
    text = _edit(old, old[:4] + char + old[4:])
    _, problems = _check(text)
    line = _line_of(text, old[:4] + char)
    col = text.split("\n")[line - 1].index(char) + 1
    assert [(p.line, p.column, p.code) for p in problems] == [(line, col, "bad-character")]
    assert REFUSED[char] in problems[0].message
    assert char not in problems[0].format()  # shown escaped


def test_an_escape_in_double_quotes_is_refused_too():
    _, problems = _check(_edit("title: River Town flood partnership (test fixture)", 'title: "River\\u202e Town"'))
    assert [(p.line, p.code) for p in problems] == [(5, "bad-character")]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in problems[0].message and "\\u202e" in problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari with ZWJ
        "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # family emoji
        "\u05e2\u05d9\u05e8\u05d9\u05d9\u05ea \u05ea\u05dc \u05d0\u05d1\u05d9\u05d1\u200e (IL)",  # Hebrew with LRM
        "caf\u00e9 caf\u0065\u0301 \u2764\ufe0f",  # accents, combining mark, variation selector
    ],
)
def test_joiners_marks_and_other_scripts_are_allowed_in_text(text):
    case, problems = _check(_edit("name: River Town council", f"name: {text}"))
    assert problems == [] and case.actors[0].name == text


def test_a_leading_byte_order_mark_is_allowed():
    case, problems = _check("\ufeff" + FIXTURE)
    assert problems == [] and case is not None


@pytest.mark.parametrize("char", ["\u200d", "\u200c", "\u0301", "\u043e", "\u00a0"])
def test_ids_refuse_joiners_and_look_alikes_and_name_them(char):
    _, problems = _check(_edit("  - id: town", f"  - id: to{char}wn"))
    assert problems[0].code == "bad-format"
    assert f"to\\u{ord(char):04x}wn" in problems[0].message
    assert f"U+{ord(char):04X}" in problems[0].message


def test_look_alike_references_are_shown_escaped():
    _, problems = _check(_edit("    holder: farmers", "    holder: f\u0430rmers"))  # Cyrillic a
    assert [p.code for p in problems] == ["unknown-actor"]
    assert "'f\\u0430rmers'" in problems[0].message and "did you mean 'farmers'" in problems[0].fix
    assert "\u0430" not in problems[0].format()


def test_titles_written_with_composed_or_decomposed_accents_are_one_title(tmp_path):
    one = _edit("title: River Town flood partnership (test fixture)", "title: Caf\u00e9 partnership")
    two = _edit("id: river-town-example", "id: river-copy", one.replace("Caf\u00e9", "Cafe\u0301"))
    (tmp_path / "river-town-example.yaml").write_text(one, "utf-8")
    (tmp_path / "river-copy.yaml").write_text(two, "utf-8")
    assert "duplicate-title" in [p.code for p in check_paths([tmp_path]).problems]


def test_quote_escapes_what_cannot_be_seen():
    assert quote("a\u202eb") == "'a\\u202eb'"
    assert quote("a\u200db") == "'a\\u200db'"
    assert quote("a\u00a0b") == "'a\\u00a0b'"
    assert quote("t\u043ewn", ascii_only=True) == "'t\\u043ewn'"
    assert quote("caf\u00e9") == "'caf\u00e9'"
    assert quote("\U000e0041") == "'\\U000e0041'"


def test_reading_lists_refuse_the_same_characters(tmp_path):
    cases = tmp_path / "cases"
    (cases / "reading-lists").mkdir(parents=True)
    (cases / "river-town-example.yaml").write_text(FIXTURE, "utf-8")
    (cases / "reading-lists" / "one.yaml").write_text(
        "id: one\ntitle: One\u202e list\nsummary: s\nitems:\n  - {case: river-town-example, why: w, questions: [q]}\n"
        "  - {case: river-town-example, why: w, questions: [q]}\n",
        "utf-8",
    )
    problems = check_paths([cases]).problems
    assert [(Path(p.path).name, p.line, p.column, p.code) for p in problems] == [("one.yaml", 2, 11, "bad-character")]


# --- URLs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/report", True),
        ("http://example.org/report?a=1#b", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("ftp://example.org/x", False),
        ("//example.org/x", False),
        ("https://www.who.int@example.org/", False),
        ("https://user:secret@example.org/", False),
    ],
)
def test_source_urls_are_plain_http_addresses(url, ok):
    _, problems = _check(_edit("url: https://example.org/report?a=1&b=2", f"url: '{url}'"))
    assert [p.code for p in problems] == ([] if ok else ["bad-url"]), [p.format() for p in problems]


# --- 9. diagnose ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, code, fix",
    [
        ("  - holder: hospital", "  - holder: hospitl", "unknown-actor", "did you mean 'hospital'?"),
        (
            "    asset: frequent-user-data",
            "    asset: frequent-user-dat",
            "unknown-asset",
            "did you mean 'frequent-user-data'?",
        ),
        (
            "    purpose: fewer-ed-visits\n",
            "    purpose: fewer-ed-visit\n",
            "unknown-purpose",
            "did you mean 'fewer-ed-visits'?",
        ),
        ("    target: police", "    target: polise", "unknown-actor", "did you mean 'police'?"),
        ("    sector: nonprofit", "    sector: non-profit", "unknown-value", "did you mean 'nonprofit'?"),
        ("    note: Outreach", "    nte: Outreach", "unknown-key", "did you mean 'note'?"),
        ("    name: Police District 4", "    name: [Police]", "wrong-type", "write actors[2].name as text"),
    ],
)
def test_diagnose_points_at_the_line_of_the_mistake(tmp_path, capsys, old, new, code, fix):
    text = _edit(old, new, EXAMPLE)
    path = tmp_path / "situation.yaml"
    path.write_text(text, "utf-8")
    assert main(["diagnose", str(path)]) == 1
    out, err = capsys.readouterr()
    line = _line_of(text, new)
    lines = out.splitlines()
    assert len(lines) == 2, out
    assert lines[0].startswith(f"{path}:{line}:") or lines[0].startswith(f"{path.name}:{line}:"), out
    assert f"error[{code}]" in lines[0] and fix in lines[1]
    assert "check failed: 1 error in 1 file" in err


def test_diagnose_example_with_the_issue_typo_on_line_90(tmp_path, capsys):
    assert main(["diagnose", "--example"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[89] == "  - holder: hospital"
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("  - holder: hospital", "  - holder: hospitl"), "utf-8")
    assert main(["diagnose", str(path)]) == 1
    out = capsys.readouterr().out
    assert ":90:13: error[unknown-actor] help[3].holder 'hospitl' is not an actor in this situation" in out
    assert "fix: did you mean 'hospital'?" in out


def test_situations_use_the_case_machinery():
    """One translation of pydantic errors: situation problems come from validate.check_model."""
    source = (ROOT / "builder" / "situation.py").read_text("utf-8")
    assert "check_model" in source and "ValidationError" not in source


# --- Code shape ------------------------------------------------------------------------------------------------------

MY_FILES = ["load.py", "validate.py", "problems.py", "model.py", "situation.py", "commands.py", "cli.py"]


@pytest.mark.parametrize("name", MY_FILES)
def test_no_function_is_longer_than_80_lines(name):
    tree = ast.parse((ROOT / "builder" / name).read_text("utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 80
    ]
    assert long == []


def test_a_malformed_case_id_is_one_message():
    _, problems = _check(_edit("id: river-town-example", "id: River_Town"))
    assert [p.code for p in problems] == ["bad-format"], [p.format() for p in problems]
    _, problems = _check(_edit("id: river-town-example", "id: river-town"))
    assert [p.code for p in problems] == ["id-mismatch"]


def test_a_file_name_with_hidden_characters_is_shown_escaped(tmp_path):
    path = tmp_path / "evil\u202eyaml.txt.yaml"
    path.write_text("- a list\n", "utf-8")
    problems = check_paths([path]).problems
    assert [p.code for p in problems] == ["not-a-mapping"]
    assert "evil\\u202eyaml.txt.yaml" in problems[0].path and "\u202e" not in problems[0].format()
