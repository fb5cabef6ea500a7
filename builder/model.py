"""The case model: pydantic classes that say what a case file may contain.

In: plain Python data parsed from one case file. Out: a validated ``Case``.
This module is data only. Cross-references (does this actor id exist?) are
checked in ``builder.validate``, where line numbers are known; behaviour such as
analysis or rendering lives in the later stages.

The models are the single source of truth: ``schema/case.schema.json`` is
exported from them (``casebook export-schema``) and the allowed values of coded
fields are read from ``schema/vocabularies/``.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from builder.vocab import vocabulary

__all__ = [
    "Agreement",
    "RelatedCase",
    "Money",
    "Location",
    "Evidence",
    "Dissent",
    "Claim",
    "Actor",
    "ActorKind",
    "Asset",
    "Case",
    "Commitment",
    "Counterfactual",
    "CreditMove",
    "Deal",
    "DiscussionQuestion",
    "Event",
    "HoldingEnvironment",
    "Interdependency",
    "Mechanism",
    "Outcome",
    "Process",
    "Purpose",
    "Source",
    "Stage",
    "Teaching",
    "ValueAtStake",
    "ValueStage",
    "Years",
    "PROCESS_STAGES",
]


def _codes(name: str):
    """A ``Literal`` of the codes in one vocabulary, so the schema lists them for editors."""
    return Literal[vocabulary(name).codes]  # type: ignore[valid-type]


Sector = _codes("sector")
Level = _codes("level")
Scale = _codes("scale")
AssetKind = _codes("asset-kind")
PolicyDomain = _codes("policy-domain")
RecognitionStage = _codes("recognition-stage")
HoldingMechanism = _codes("holding-mechanism")
ValueDimension = _codes("value-dimension")
DealForm = _codes("deal-form")
DealStatus = _codes("deal-status")
CreditMoveKind = _codes("credit-move")
Confidence = _codes("confidence")
SourceType = _codes("source-type")
Concept = _codes("concept")
EventKind = _codes("event-kind")
ActorKind = _codes("actor-kind")
OutcomeDesign = _codes("outcome-design")
MeasuredBy = _codes("measured-by")
CaseRelation = _codes("case-relation")
ClaimStatus = _codes("claim-status")
AgreementRole = _codes("agreement-role")
AgreementEnd = _codes("agreement-end")
ActorChangeKind = _codes("actor-change")
CitationRole = _codes("citation-role")

#: The process stages of the memo, in order; each may have a narrative in ``process``.
PROCESS_STAGES: tuple[str, ...] = (
    "recognition",
    "mutual-sense",
    "holding-environment",
    "value",
    "envisioning",
    "agreement",
    "implementation",
)
ProcessStage = Literal[PROCESS_STAGES]  # type: ignore[valid-type]

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=80,
        description="A short id in lower case, words joined by hyphens.",
        examples=["boston-police"],
    ),
]
Ref = Annotated[str, Field(description="The id of something declared elsewhere in this case.")]
Text = Annotated[str, Field(min_length=1, description="Plain text; no HTML or Markdown is rendered.")]
#: Optional text is still never empty or only spaces (which would print as a blank label).
SomeText = Annotated[str, Field(min_length=1)]
Period = Annotated[
    str | int,
    Field(description="When, as a year or a span of years in text.", examples=["1995-1996", 2004]),
]
Year = Annotated[int, Field(ge=1800, le=2100, description="A four-digit year.")]


def _iso_date(value: Any) -> Any:
    """Text ``YYYY-MM-DD`` becomes a date; a day that does not exist is an error of its own."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise PydanticCustomError("date_value", "{reason}", {"reason": str(exc)}) from None
    return value  # anything else meets the strict date check and is reported as a wrong type


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    Field(description="A date written year-month-day, such as 2026-01-31.", examples=["2026-01-31"]),
]


#: What an IP address (v4 or v6) can be written with; any other host is a name.
_MAYBE_IP = re.compile(r"[0-9a-f.:]+")


#: Host names already found public by ``_plain_address`` (a cost, never what is valid: only hosts that passed).
_PUBLIC_HOSTS: set[str] = set()


def _plain_address(url: HttpUrl) -> HttpUrl:
    """A public web address: no name or password before ``@`` (``https://www.who.int@example.com`` is not the
    WHO's site), no dot ending the host name (``https://nilebasin.org./``), and a host readers can reach: not
    this machine or a private network (``localhost``, ``127.0.0.1``, ``10.0.0.5``, ``[::1]``, ``printer.local``)."""
    if url.username or url.password:
        raise PydanticCustomError("url_userinfo", "the address has a name before @, which hides the real site")
    found = url.host or ""  # read once: each read of a property goes through pydantic's wrapper
    if found in _PUBLIC_HOSTS:  # the same sites are cited again and again
        return url
    if found.endswith("."):
        # "https://nilebasin.org./about" opens, but it is not the address anyone publishes: copied text, a typo.
        raise PydanticCustomError("url_host_dot", "the address's host name ends with a dot")
    host = found.strip("[]").rstrip(".").lower()
    try:
        if not _MAYBE_IP.fullmatch(host):  # a name, not a number: skip the slow parse (a profile found it)
            raise ValueError(host)
        private = not ipaddress.ip_address(host).is_global
    except ValueError:
        private = host == "localhost" or host.endswith((".localhost", ".local", ".internal")) or "." not in host
    if private:
        raise PydanticCustomError("url_private", "the address points at this computer or a private network")
    if len(_PUBLIC_HOSTS) < 10_000:
        _PUBLIC_HOSTS.add(found)
    return url


WebAddress = Annotated[HttpUrl, AfterValidator(_plain_address)]

SourceRefs = Annotated[
    list[Ref],
    Field(min_length=1, description="Ids of the sources (under `sources:`) that support this."),
]


class Model(BaseModel):
    """Base for every part of a case.

    Why: unknown keys are errors (``extra="forbid"``), so a typo such as
    ``partners:`` for ``actors:`` is reported instead of silently dropped.
    Types are strict, so a value means what it looks like: ``realized: "yes"``
    is not a boolean and ``year: "2004"`` (quoted) is not a number. Numbers
    must be finite (``allow_inf_nan=False``): ``.nan`` and ``.inf`` are refused. Each model's validator is
    built when it is first used (``defer_build``), so ``casebook validate`` builds the one of ``Case`` (which
    holds all the parts) and not one for every part: a fifth of the import's time.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, strict=True, allow_inf_nan=False, defer_build=True
    )


class Cited(Model):
    """A part of a case that cites sources; ``source_roles`` says which citations dispute or give context.

    Why: a source cited for a statement supports it unless said otherwise, so a figure the case rejects, or
    background, can still be cited without reading as support.
    """

    source_roles: dict[Ref, CitationRole] = Field(
        default_factory=dict,
        description="For cited sources that do not support the statement: source id -> `disputes` or `context` "
        "(vocabulary `citation-role`).",
        examples=[{"ministry-press-release": "disputes"}],
    )

    @model_validator(mode="after")
    def _roles_name_cited_sources(self) -> Cited:
        if not self.source_roles:  # most parts have none: nothing to check
            return self
        cited = set(getattr(self, "sources", []) or [])
        stray = sorted(set(self.source_roles) - cited)
        if stray:
            raise ValueError(f"a source role names a source this part does not cite: {', '.join(stray)}")
        return self


class Purpose(Model):
    """One purpose an actor pursues; interdependencies point at purposes."""

    id: Slug
    description: Text = Field(description="What the actor is trying to achieve, in a sentence.")


def _iso_code(standard: str, pattern: str, known: Any, error: str, examples: list[str]) -> Any:
    """A text type for codes of an ISO standard: the right shape (``pattern``), and one the standard has.

    ``known(code)`` looks the code up (pycountry); an unknown code is the pydantic error type ``error``. Codes
    found are remembered (at most the standard's own codes, a few thousand): pycountry's look-up was a tenth of
    the schema's time on real cases.
    """
    found: set[str] = set()

    def check(code: str) -> str:
        if code in found:
            return code
        if known(code) is None:
            raise PydanticCustomError(error, "{code} is not an {standard} code", {"code": code, "standard": standard})
        found.add(code)
        return code

    return Annotated[
        str, Field(pattern=pattern, description=f"An {standard} code.", examples=examples), AfterValidator(check)
    ]


Currency = _iso_code(
    "ISO 4217 currency",
    r"^[A-Z]{3}$",
    lambda c: pycountry.currencies.get(alpha_3=c),
    "currency_code",
    ["USD", "EUR", "KES"],
)


class Money(Model):
    """An amount of money in a currency, as the sources give it, with the year the figure belongs to."""

    amount: float = Field(ge=0, description="The amount, in units of the currency (not thousands or millions).")
    currency: Currency
    year: Year | None = Field(None, description="The year of the figure (its price year), where the sources say.")
    approximate: bool = Field(False, description="True when the sources give the amount only roughly.")


class Asset(Model):
    """Something an actor holds that could serve its own or another's purposes."""

    id: Slug
    kind: AssetKind = Field(description="What kind of asset this is (vocabulary `asset-kind`).")
    description: Text = Field(description="What exactly the actor holds.")
    value: Money | None = Field(None, description="How much, where the asset is money and the sources say.")


_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def _partial_date(value: object) -> str:
    """A year, year-month or full date as ISO 8601 text (``1996``, ``1996-05``, ``1996-05-15``)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    match = _PARTIAL_DATE.fullmatch(value) if isinstance(value, str) and not value.endswith("\n") else None
    if not match:
        raise ValueError(
            f"a date is a year (1996), a year and month (1996-05) or a full date (1996-05-15), not {value!r}"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    if not 1800 <= year <= 2100:
        raise ValueError(f"a date falls between 1800 and 2100, not in {year}")
    try:
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValueError(f"a date must exist in the calendar, and {value} does not") from None
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1800, "maximum": 2100},
                {"type": "string", "pattern": _PARTIAL_DATE.pattern},
            ]
        }
    ),
    Field(
        description="A year, a year and month, or a full date, in ISO 8601 form: as precise as the sources allow.",
        examples=["1996", "1996-05", "1996-05-15"],
    ),
]


class ActorChange(Cited):
    """A dated change to an actor: a new name, a move to another level, a wider or narrower remit, a merger."""

    date: PartialDate
    change: ActorChangeKind = Field(description="What changed (vocabulary `actor-change`).")
    description: Text = Field(description="What changed, in your own words (the new name, level or remit).")
    sources: SourceRefs


class Actor(Cited):
    """A party taking part in, or affected by, the effort: an organization, a unit of one, a coalition,
    a person in a role, or an affected group."""

    id: Slug
    kind: ActorKind = Field(
        "organization",
        description="What sort of party this is (vocabulary `actor-kind`); `organization` if left out.",
    )
    part_of: Ref | None = Field(
        None,
        description="For a unit or a person in a role: the id of the actor it belongs to. Help between the two "
        "is internal to that actor, not an exchange.",
    )
    members: list[Ref] = Field(
        default_factory=list, description="For a coalition: the ids of its members that are actors in the case."
    )
    role: SomeText | None = Field(
        None, description="For a person: the role in which they acted.", examples=["Mayor of Boston"]
    )
    name: Text = Field(max_length=300, description="The actor's full name.", examples=["Boston Police Department"])
    short_name: SomeText | None = Field(
        None, max_length=30, description="A short label for the network drawing.", examples=["BPD"]
    )
    sector: Sector = Field(description="The actor's sector (vocabulary `sector`).")
    level: Level = Field(description="The actor's level of government or reach (vocabulary `level`).")
    country: str | None = Field(
        None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code, where the case spans several countries.",
        examples=["DE"],
    )
    # Leaving the key out gives None; writing `mission: null` is still a type error (YAML read null).
    mission: Text = Field(  # type: ignore[assignment]
        None,
        description="The actor's mission: what it exists to do. Required, except for an affected group, "
        "whose purposes say what it wants.",
    )
    authorizing_environment: SomeText | None = Field(
        None, description="To whom the actor answers: overseers, funders, voters, members."
    )
    purposes: list[Purpose] = Field(min_length=1, description="The purposes other actors' assets can help or hurt.")
    assets: list[Asset] = Field(
        default_factory=list, description="What the actor holds that could serve others' purposes."
    )
    sources: list[Ref] = Field(default_factory=list, description="Sources that describe this actor.")
    changes: list[ActorChange] = Field(
        default_factory=list,
        description="Dated changes to the actor (renamed, moved to another level, remit widened, merged), "
        "instead of one fixed value.",
    )

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Actor:
        if self.mission is None and self.kind != "affected-group":
            raise ValueError("an actor needs a `mission` (only an affected group may leave it out)")
        if self.part_of is not None and self.kind not in ("unit", "person"):
            raise ValueError("an actor with `part_of` is a unit or a person: set `kind: unit` or `kind: person`")
        if self.members and self.kind != "coalition":
            raise ValueError("an actor with `members` is a coalition: set `kind: coalition`")
        return self


class Interdependency(Cited):
    """One asset of one actor that helps or hurts one purpose of another actor.

    Why: this is the unit of the analysis. Each record is an edge from the
    asset's holder to the actor whose purpose it touches.
    """

    id: Slug
    holder: Ref = Field(description="Id of the actor that holds the asset.")
    asset: Ref = Field(description="Id of the asset, declared under the holder's `assets`.")
    effect: Literal["helps", "hurts"] = Field(description="Whether the asset helps or hurts the purpose.")
    target: Ref = Field(description="Id of the actor whose purpose is touched.")
    purpose: Ref = Field(description="Id of the purpose, declared under the target's `purposes`.")
    description: Text = Field(description="How the asset helps or hurts the purpose.")
    recognized: RecognitionStage = Field(
        description="The stage at which the parties first saw this interdependence, or `hindsight` or `never`."
    )
    recognized_by: list[Ref] = Field(default_factory=list, description="Ids of the actors who saw it first.")
    realized: bool | Literal["partly", "unknown"] = Field(
        description="Whether the deal put this interdependence to use: true, false, `partly`, or `unknown` when the "
        "sources do not say. For an asset that hurts, whether the harm happened under the deal."
    )
    confidence: Confidence | None = Field(
        None, description="How sure the sources let us be that this interdependence existed (vocabulary `confidence`)."
    )
    bundle: Slug | None = Field(
        None,
        description="The id of a group of complements: interdependencies that help the same purpose only "
        "together (deterrence and a way out; money and a site). Give each member the same id.",
        examples=["deterrence-and-exit"],
    )
    seen_at: Ref | None = Field(
        None,
        description="The id of the timeline event at which the parties first saw it, where the sources date it.",
    )
    realized_by: list[Ref] = Field(
        default_factory=list,
        description="Ids of the further agreements (under `agreements:`) that put it to use, if not only the main deal.",
    )
    note: SomeText | None = Field(None, description="Caveats, for example where the sources disagree.")
    sources: SourceRefs

    @model_validator(mode="after")
    def _realized_by_fits(self) -> Interdependency:
        if self.realized_by and self.realized is False:
            raise ValueError("an interdependency realized by an agreement (`realized_by`) is not `realized: false`")
        return self


class Years(Model):
    """When the effort ran."""

    start: Year
    end: Year | Literal["ongoing"] = Field(
        description="The last year of the effort, or `ongoing`.", examples=[2000, "ongoing"]
    )


EventRefs = Annotated[
    list[Ref], Field(description="Ids of timeline events (under `timeline:`) that this part of the case concerns.")
]


class Stage(Cited):
    """A narrative of one stage of the process, with its sources."""

    narrative: Text = Field(
        description="What happened at this stage, in your own words. Blank lines separate paragraphs."
    )
    period: Period | None = Field(None, description="When this stage happened.", examples=["1995-1996"])
    events: EventRefs = Field(default_factory=list)
    sources: SourceRefs


class Mechanism(Model):
    """One thing that kept the parties at the table."""

    kind: HoldingMechanism = Field(description="The kind of mechanism (vocabulary `holding-mechanism`).")
    description: Text = Field(description="How it worked in this case.")
    actors: list[Ref] = Field(default_factory=list, description="Ids of the actors who supplied it.")


class HoldingEnvironment(Stage):
    """What kept the interdependent parties talking and exploring possibilities."""

    mechanisms: list[Mechanism] = Field(min_length=1, description="The mechanisms at work.")
    conveners: list[Ref] = Field(default_factory=list, description="Ids of the actors who convened the parties.")


class ValueAtStake(Cited):
    """One dimension of value at stake for one party."""

    actor: Ref = Field(description="Id of the actor.")
    dimension: ValueDimension = Field(description="The dimension of value (vocabulary `value-dimension`).")
    description: Text = Field(description="What was at stake for this actor on this dimension.")
    sources: SourceRefs


class ValueStage(Cited):
    """The dimensions of value at stake for each party."""

    narrative: SomeText | None = Field(None, description="An overview, in your own words.")
    stakes: list[ValueAtStake] = Field(min_length=1, description="What was at stake, party by party.")
    sources: list[Ref] = Field(default_factory=list, description="Sources for the overview.")


class Process(Model):
    """The process, stage by stage, as in the memo. Give only the stages the sources support."""

    recognition: Stage | None = Field(None, description="Someone recognizes a potentially valuable interdependence.")
    mutual_sense: Stage | None = Field(
        None, description="Creating a mutual sense of interdependence with the other parties."
    )
    holding_environment: HoldingEnvironment | None = Field(None, description="What kept the parties at the table.")
    value: ValueStage | None = Field(None, description="The dimensions of value at stake for each party.")
    envisioning: Stage | None = Field(
        None, description="Imagining what each party would do and what joint action would produce."
    )
    agreement: Stage | None = Field(None, description="How the deal was agreed, or why it was not.")
    implementation: Stage | None = Field(None, description="How the deal was carried out.")


class Commitment(Model):
    """What one party committed to under the deal."""

    actor: Ref = Field(description="Id of the committing actor.")
    assets: list[Ref] = Field(default_factory=list, description="Ids of the actor's assets committed.")
    commitment: Text = Field(description="What the actor was bound to do.")
    value: Money | None = Field(None, description="The money committed, where the sources say.")


class Deal(Cited):
    """The deal: who committed what, to produce what, in what form, and how far it got."""

    forms: list[DealForm] = Field(min_length=1, description="The form or forms of the deal (vocabulary `deal-form`).")
    status: DealStatus = Field(description="How far the deal got (vocabulary `deal-status`).")
    year: Year | None = Field(None, description="The year the deal was made, if it was.")
    joint_product: Text = Field(description="What the joint action produced or was meant to produce.")
    cost: Money | None = Field(None, description="What the joint action cost or was budgeted to cost.")
    events: EventRefs = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list, description="Commitments, party by party.")
    ended: PartialDate | None = Field(None, description="When the deal ended, if it has.")
    end: AgreementEnd | None = Field(None, description="How it ended (vocabulary `agreement-end`).")
    ended_by: list[Ref] = Field(default_factory=list, description="Ids of the actors who ended it, if it was ended.")
    why_ended: SomeText | None = Field(None, description="Why it ended, in your own words.")
    sources: SourceRefs

    @model_validator(mode="after")
    def _end_fits_status(self) -> Deal:
        _check_end(self.status, self.end, self.ended_by, self.why_ended)
        return self


def _check_end(status: str, end: str | None, ended_by: list[str], why: str | None) -> None:
    """How a deal or agreement ended agrees with its status and with who ended it and why."""
    if (ended_by or why) and end is None:
        raise ValueError("an agreement with `ended_by` or `why_ended` needs `end:` (how it ended)")
    if end == "cut-short" and status not in ("dissolved", "partial"):
        raise ValueError(f"an agreement cut short has status dissolved or partial, not {status}")


class Agreement(Cited):
    """A further agreement beside the main deal: a side deal, a pilot, a component, a predecessor or a successor,
    with its own parties, commitments, form, status and dates."""

    id: Slug
    title: Text = Field(
        max_length=150, description="A short name for the agreement.", examples=["Night Light partnership"]
    )
    role: AgreementRole = Field(description="How it stands to the main deal (vocabulary `agreement-role`).")
    parties: list[Ref] = Field(min_length=1, description="Ids of the actors party to it.")
    forms: list[DealForm] = Field(min_length=1, description="Its form or forms (vocabulary `deal-form`).")
    status: DealStatus = Field(description="How far it got (vocabulary `deal-status`).")
    agreed: PartialDate | None = Field(None, description="When it was agreed, as precisely as the sources say.")
    amended: list[PartialDate] = Field(default_factory=list, description="When it was amended or renewed.")
    ended: PartialDate | None = Field(None, description="When it ended, if it has.")
    end: AgreementEnd | None = Field(None, description="How it ended (vocabulary `agreement-end`).")
    ended_by: list[Ref] = Field(default_factory=list, description="Ids of the actors who ended it, if it was ended.")
    why_ended: SomeText | None = Field(None, description="Why it ended, in your own words.")
    joint_product: SomeText | None = Field(None, description="What it produced or was meant to produce.")
    cost: Money | None = Field(None, description="What it cost or was budgeted to cost.")
    commitments: list[Commitment] = Field(default_factory=list, description="Commitments, party by party.")
    sources: SourceRefs

    @model_validator(mode="after")
    def _dates_in_order(self) -> Agreement:
        if self.agreed and self.ended and self.ended < self.agreed[: len(self.ended)]:
            raise ValueError(f"an agreement ends after it is agreed: ended {self.ended} is before agreed {self.agreed}")
        _check_end(self.status, self.end, self.ended_by, self.why_ended)
        return self


class CreditMove(Cited):
    """A move that claimed value or credit, or gave credit away."""

    actor: Ref = Field(description="Id of the actor who made the move.")
    move: CreditMoveKind = Field(description="The kind of move (vocabulary `credit-move`).")
    description: Text = Field(description="What the actor did.")
    credited: list[Ref] = Field(default_factory=list, description="Ids of actors given credit, if any.")
    sources: SourceRefs


class Dissent(Cited):
    """Someone who contests a claim or an outcome's attribution, with the sources that say so."""

    by: Text = Field(max_length=300, description="Who contests it: an actor's name, a researcher, a newspaper.")
    description: Text = Field(description="What they say instead, in your own words.")
    sources: SourceRefs


class Evidence(Model):
    """How an outcome's figure was produced: design, comparison, sample, significance, and who measured it."""

    design: OutcomeDesign = Field(description="The design behind the figure (vocabulary `outcome-design`).")
    comparison: float | None = Field(
        None, description="The comparison group's figure, in the outcome's unit, beside the treated `after`."
    )
    comparison_group: SomeText | None = Field(None, description="What the comparison group was.")
    sample_size: int | None = Field(None, ge=1, description="How many units were measured.")
    unit_of_analysis: SomeText | None = Field(None, description="What was counted: people, households, districts…")
    significance: SomeText | None = Field(
        None, description="Statistical significance where reported.", examples=["p < 0.05", "not significant"]
    )
    measured_by: MeasuredBy = Field(description="Who produced the figure (vocabulary `measured-by`).")
    measured_by_actor: Ref | None = Field(None, description="The id of the actor that produced it, if in the case.")
    contested: list[Dissent] = Field(
        default_factory=list, description="Who disputes that the effort caused the result, and why."
    )


class Outcome(Cited):
    """A result of the effort, with figures where the sources give them."""

    indicator: Text = Field(description="What was measured or observed.", examples=["Youth homicides per year"])
    description: SomeText | None = Field(None, description="The result in words.")
    before: float | None = Field(None, description="The value before the effort.")
    after: float | None = Field(None, description="The value after the effort.")
    unit: SomeText | None = Field(None, description="The unit of `before` and `after`.")
    currency: Currency | None = Field(
        None, description="Where `before` and `after` are money: their currency (then leave out `unit`)."
    )
    price_year: Year | None = Field(None, description="Where `before` and `after` are money: the year of the prices.")
    period: Period | None = Field(None, description="The period compared.", examples=["1991-1995 vs 1996-1999"])
    confidence: Confidence = Field(description="How sure the sources let us be (vocabulary `confidence`).")
    evidence: Evidence | None = Field(None, description="How the figure was produced, and by whom.")
    events: EventRefs = Field(default_factory=list)
    sources: SourceRefs

    @model_validator(mode="after")
    def _has_content(self) -> Outcome:
        if self.description is None and self.after is None:
            raise ValueError("an outcome needs a description, or figures in `before`/`after`")
        if self.currency is not None and self.unit is not None:
            raise ValueError("an outcome in money has a `currency`, and no `unit`: the currency is the unit")
        return self


class Counterfactual(Cited):
    """What one party would have done, or achieved, alone."""

    actor: Ref = Field(description="Id of the actor.")
    alone: Text = Field(description="What the actor would have done or achieved without the deal.")
    sources: SourceRefs


class DiscussionQuestion(Model):
    """A question for class discussion, tied to a stage of the process."""

    question: Text
    stage: ProcessStage | None = Field(None, description="The process stage the question is about.")


class Teaching(Model):
    """Notes for instructors."""

    learning_objectives: list[Text] = Field(default_factory=list, description="What students should be able to do.")
    discussion_questions: list[DiscussionQuestion] = Field(
        default_factory=list, description="Questions for discussion."
    )
    concepts: list[Concept] = Field(
        default_factory=list, description="Concepts the case teaches (vocabulary `concept`)."
    )


class Source(Model):
    """A document that supports facts in the case. Every source needs a URL or a DOI."""

    id: Slug
    title: Text = Field(max_length=500, description="The document's title, as printed.")
    authors: list[str] = Field(default_factory=list, description="Authors, as 'Family, Given' or an organization.")
    year: Year | None = Field(None, description="The year of publication.")
    publisher: SomeText | None = Field(None, max_length=300, description="Publisher, agency or news organization.")
    journal: SomeText | None = Field(None, max_length=300, description="Journal, for articles.")
    volume: SomeText | None = Field(None, description="The journal's volume.", examples=["38"])
    issue: SomeText | None = Field(None, description="The journal's issue.", examples=["3"])
    pages: SomeText | None = Field(None, description="Pages, as printed.", examples=["195-225"])
    type: SourceType = Field(description="What kind of document (vocabulary `source-type`).")
    url: WebAddress | None = Field(
        None, description="A web address (`https://` or `http://`) where the source can be read."
    )
    mirrors: list[WebAddress] = Field(
        default_factory=list,
        description="Other addresses of the same work: an archive copy, a mirror, a repository copy.",
    )
    doi: str | None = Field(
        None,
        pattern=r"^10\.[0-9]{4,9}/[^\s\"<>]+$",
        max_length=300,
        description="A DOI, without https://doi.org/.",
    )
    note: SomeText | None = Field(None, description="What this source covers, or where in it to look.")

    @model_validator(mode="after")
    def _has_link(self) -> Source:
        if self.url is None and self.doi is None:
            raise ValueError("a source needs a `url` or a `doi` so readers can find it")
        return self


class Claim(Model):
    """A claim made about the effort that someone disputes, with the sources on each side."""

    id: Slug
    claim: Text = Field(description="The claim, in your own words.", examples=["The programme halved youth homicide."])
    made_by: list[Ref] = Field(default_factory=list, description="Ids of the actors who make the claim.")
    disputed_by: list[Ref] = Field(default_factory=list, description="Ids of the actors who dispute it.")
    dissent: list[Dissent] = Field(
        default_factory=list, description="Others who dispute it (researchers, the press), with their sources."
    )
    status: ClaimStatus = Field(description="Where the claim stands on the case's sources (vocabulary `claim-status`).")
    sources_for: SourceRefs = Field(description="Ids of sources that make or support the claim.")
    sources_against: list[Ref] = Field(default_factory=list, description="Ids of sources that dispute it.")
    note: SomeText | None = Field(None, description="How the case weighs the two sides.")

    @model_validator(mode="after")
    def _has_two_sides(self) -> Claim:
        if not (self.sources_against or self.dissent):
            raise ValueError("a claim needs, against it, `sources_against` or a `dissent` with its sources")
        return self


class RelatedCase(Model):
    """Another case of the casebook that this one relates to; the relation shows on both pages."""

    case: Slug = Field(description="The other case's id (its file name without `.yaml`).")
    relation: CaseRelation = Field(description="How this case relates to it (vocabulary `case-relation`).")
    note: SomeText | None = Field(None, description="What the two share or how they differ.")


class Area(Model):
    """The area an effort covered, as a box of latitudes and longitudes (WGS 84), for the map."""

    south: float = Field(ge=-90, le=90, description="The southern edge, in degrees north (negative for south).")
    west: float = Field(ge=-180, le=180, description="The western edge, in degrees east (negative for west).")
    north: float = Field(ge=-90, le=90, description="The northern edge, in degrees north.")
    east: float = Field(ge=-180, le=180, description="The eastern edge, in degrees east (less than west across 180°).")

    @model_validator(mode="after")
    def _north_of_south(self) -> Area:
        if self.north < self.south:
            raise ValueError("an area's north edge is not south of its south edge: swap north and south")
        return self


class Location(Model):
    """Where the effort happened, for the map: a point (its centre), and the area it covered where it is large."""

    latitude: float = Field(ge=-90, le=90, description="Degrees north (negative for south), WGS 84.")
    longitude: float = Field(ge=-180, le=180, description="Degrees east (negative for west), WGS 84.")
    area: Area | None = Field(None, description="The area covered, as a box, for a basin, region or corridor.")


Subdivision = _iso_code(
    "ISO 3166-2 subdivision",
    r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
    lambda c: pycountry.subdivisions.get(code=c),
    "subdivision_code",
    ["GB-SCT", "IN-KL"],
)


def load_code_lists() -> None:
    """Read pycountry's code lists now (about 60 ms), instead of at their first look-up.

    Why: worker processes forked after this share the lists instead of each reading them again.
    """
    pycountry.subdivisions.get(code="GB-SCT")
    pycountry.currencies.get(alpha_3="USD")
    pycountry.countries.get(alpha_2="GB")


class Case(Model):
    """One real collaborative-government effort, mapped as a network of interdependence."""

    schema_version: Literal[2] = Field(
        description="The version of the case model the file follows; `casebook migrate` upgrades older files."
    )
    id: Slug = Field(description="The case id; must equal the file name without `.yaml`.")
    title: Text = Field(max_length=150, description="The case title.", examples=["Operation Ceasefire, Boston"])
    tagline: Text = Field(max_length=200, description="A one-line summary.")
    summary: Text = Field(description="A summary of the case in a paragraph or two, in your own words.")
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = Field(
        min_length=1, description="ISO 3166-1 alpha-2 codes of the countries involved.", examples=[["US"]]
    )
    subdivisions: list[Subdivision] = Field(
        default_factory=list,
        description="ISO 3166-2 codes of the states, provinces or regions involved.",
        examples=[["IN-KL"], ["GB-SCT"]],
    )
    locality: SomeText | None = Field(None, description="City, region or basin.", examples=["Boston, Massachusetts"])
    location: Location | None = Field(None, description="A point for the map: where the effort happened.")
    years: Years = Field(description="The first and last years of the effort.")
    domains: list[PolicyDomain] = Field(min_length=1, description="Policy domains (vocabulary `policy-domain`).")
    scale: Scale = Field(description="The reach of the effort (vocabulary `scale`).")
    status: Literal["draft", "reviewed"] = Field(
        description="`draft` until a second person has checked every fact against its source; then `reviewed`, with "
        "`last_reviewed` set to the date of that check."
    )
    last_reviewed: IsoDate | None = Field(
        None,
        ge=datetime.date(1990, 1, 1),
        le=datetime.date(2100, 12, 31),
        description="Optional, for a draft as for a reviewed case: the date someone last checked the case against its "
        "sources (for a draft, its author; once `reviewed`, the second person's check or a later one), 1990 to 2100. "
        "Nothing in the case may be dated after it.",
    )
    actors: list[Actor] = Field(min_length=2, description="The actors, each declared once and referred to by id.")
    interdependencies: list[Interdependency] = Field(
        default_factory=list, description="Who holds an asset that helps or hurts whose purpose."
    )
    process: Process = Field(default_factory=Process, description="The process, stage by stage.")
    deal: Deal = Field(description="The deal: commitments, joint product, form and how far it got.")
    agreements: list[Agreement] = Field(
        default_factory=list,
        description="Further agreements beside the main deal: side deals, pilots, components, predecessors and "
        "successors, each with its own parties, dates and status.",
    )
    credit: list[CreditMove] = Field(default_factory=list, description="Value claiming and credit.")
    outcomes: list[Outcome] = Field(default_factory=list, description="Results, with figures where known.")
    counterfactuals: list[Counterfactual] = Field(
        default_factory=list, description="What each party would have done alone."
    )
    teaching: Teaching = Field(
        default_factory=Teaching, description="Learning objectives, discussion questions and concepts, for instructors."
    )
    claims: list[Claim] = Field(
        default_factory=list,
        description="Disputed claims and conflicting figures, with who makes and who disputes each, and the "
        "sources on both sides.",
    )
    related: list[RelatedCase] = Field(
        default_factory=list,
        description="Other cases of the casebook this one was adapted from, followed, or contrasts with.",
    )
    timeline: list[Event] = Field(
        default_factory=list,
        description="Dated events, from first contact to the end or the latest news; at least five for a full case.",
    )
    sources: list[Source] = Field(min_length=1, description="Every source the case relies on.")


class Event(Cited):
    """One dated event of the effort: first contact, convening, agreements, launches, cuts, evaluations, the end."""

    id: Slug
    date: PartialDate
    approximate: bool = Field(False, description="True when the sources give the date only roughly ('about 1996').")
    kind: EventKind = Field(description="What happened (vocabulary `event-kind`).")
    description: Text = Field(description="What happened, in a sentence, in your own words.")
    actors: list[Ref] = Field(default_factory=list, description="Ids of the actors who took part in the event.")
    agreement: Ref | None = Field(None, description="The id of the further agreement the event concerns, if any.")
    sources: SourceRefs


class ReadingItem(Model):
    """One case in a reading list, with why it is there."""

    case: Ref = Field(description="The id of a case in `cases/`.")
    why: Text = Field(description="Why this case is here, at this point in the sequence.")
    questions: list[Text] = Field(min_length=1, description="Questions for the session on this case.")


class ReadingList(Model):
    """A sequence of cases for instructors, kept in `cases/reading-lists/`."""

    id: Slug = Field(description="The list id; must equal the file name without `.yaml`.")
    title: Text = Field(max_length=150, description="The list title.")
    summary: Text = Field(description="What the sequence teaches and for whom.")
    items: list[ReadingItem] = Field(min_length=2, description="The cases, in teaching order.")
    closing_questions: list[Text] = Field(default_factory=list, description="Questions for the end of the series.")
