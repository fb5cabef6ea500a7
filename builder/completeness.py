"""Completeness of a case: which parts a full case has that this one lacks.

In: a validated ``Case``. Out: a ``Completeness`` record. A draft case can be
merged and improved later; this report tells the contributor (``casebook
validate --report``) and readers (a badge on the case page) what is still missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model import PROCESS_STAGES, Case

#: What a full case has, as (key, label, test). The thresholds follow the casebook's content standard.
CHECKS = (
    ("actors", "at least 3 actors", lambda c: len(c.actors) >= 3),
    ("assets", "every actor has at least one asset", lambda c: all(a.assets for a in c.actors)),
    ("interdependencies", "at least 5 interdependencies", lambda c: len(c.interdependencies) >= 5),
    ("deal-commitments", "the deal lists each party's commitments", lambda c: bool(c.deal.commitments)),
    ("outcomes", "at least one outcome", lambda c: bool(c.outcomes)),
    ("outcome-figures", "an outcome with figures", lambda c: any(o.after is not None for o in c.outcomes)),
    ("counterfactuals", "what parties would have done alone", lambda c: bool(c.counterfactuals)),
    ("timeline", "a timeline of at least 5 dated events", lambda c: len(c.timeline) >= 5),
    ("learning-objectives", "learning objectives", lambda c: bool(c.teaching.learning_objectives)),
    ("discussion-questions", "at least 3 discussion questions", lambda c: len(c.teaching.discussion_questions) >= 3),
    ("sources", "at least 2 sources", lambda c: len(c.sources) >= 2),
)


@dataclass(frozen=True)
class Completeness:
    case_id: str
    missing_stages: tuple[str, ...]
    missing: tuple[str, ...]
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total)


def completeness(case: Case) -> Completeness:
    """What the case has and lacks, against ``CHECKS`` and the seven process stages."""
    stages = tuple(s for s in PROCESS_STAGES if getattr(case.process, s.replace("-", "_")) is None)
    missing = tuple(label for _, label, test in CHECKS if not test(case))
    total = len(CHECKS) + len(PROCESS_STAGES)
    return Completeness(case.id, stages, missing, total - len(stages) - len(missing), total)


def format_report(case: Case, result: Completeness) -> str:
    """The report printed by ``casebook validate --report``."""
    lines = [f"{case.id}: {result.percent}% complete ({result.done} of {result.total})"]
    if result.missing_stages:
        lines.append("  stages not yet described: " + ", ".join(result.missing_stages))
    for label in result.missing:
        lines.append(f"  missing: {label}")
    return "\n".join(lines)
