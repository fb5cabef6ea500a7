"""The patterns the analysis finds, described for readers of the site.

Each pattern names the analysis function that defines it exactly; the pattern
page shows that function's docstring as the rule, so the page and the code
cannot disagree. The plain-words text and the small example are written here.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from builder import analyze


def rule_of(function: str) -> str:
    """The docstring of ``builder.analyze.<function>`` up to its Parameters section: the rule as written."""
    doc = inspect.getdoc(getattr(analyze, function)) or ""
    return doc.split("\nParameters\n")[0].strip()


@dataclass(frozen=True)
class Pattern:
    code: str
    title: str
    plain: str
    practice: str
    function: str
    #: a small example graph: (holder, target, effect, recognized)
    example: tuple[tuple[str, str, str, str], ...]

    def rule(self) -> str:
        """The exact rule: the defining function's docstring, up to its Parameters section."""
        return rule_of(self.function)


_H, _T = "helps", "hurts"
_SEEN, _NEVER = "recognition", "never"

PATTERNS: dict[str, Pattern] = {
    p.code: p
    for p in (
        Pattern(
            "reciprocal-pair",
            "Reciprocal pair",
            "Each of two actors holds something that helps the other's purposes. This is the simplest makeable "
            "deal: a bilateral exchange in which both gain.",
            "Ask of every partner: what of mine serves you, and what of yours serves me? If both answers are "
            "non-empty, there is a deal to explore.",
            "reciprocal_pairs",
            (("A", "B", _H, _SEEN), ("B", "A", _H, _SEEN)),
        ),
        Pattern(
            "cycle",
            "Cycle of three or more",
            "Help flows around a ring of three or more actors, and no two of them could trade directly. The deal "
            "only works with every party at the table, as in a kidney-exchange chain.",
            "Look past pairs: a party that cannot repay you may be able to help someone who can.",
            "cycles",
            (("A", "B", _H, _SEEN), ("B", "C", _H, _SEEN), ("C", "A", _H, _SEEN)),
        ),
        Pattern(
            "multi-party-deal",
            "Multi-party deal",
            "Help flows around a ring of three or more actors, and at least one of them is repaid only through the "
            "others, even if some members also trade directly. The deal needs every party on the ring.",
            "When a partner cannot repay you, follow the ring: who helps them, and who helps that party back to you?",
            "multi_party_deals",
            (("A", "B", _H, _SEEN), ("B", "C", _H, _SEEN), ("C", "A", _H, _SEEN), ("A", "C", _H, _SEEN)),
        ),
        Pattern(
            "one-way-dependence",
            "One-way dependence",
            "One actor helps another and no help, however indirect, flows back. It needs a side payment, an "
            "authority that can require it, or an appeal to shared public value.",
            "When you need help you cannot repay, look for what would move the other party: money, a mandate, "
            "credit, or a purpose you both serve.",
            "one_way_dependences",
            (("A", "B", _H, _SEEN),),
        ),
        Pattern(
            "pooled",
            "Pooled interdependence",
            "Three or more actors each feed the same purpose of another (Thompson, 1967). None depends on the "
            "others directly, but the purpose needs them all.",
            "A pooled purpose calls for a convener who keeps every contributor at the table.",
            "thompson",
            (("A", "D", _H, _SEEN), ("B", "D", _H, _SEEN), ("C", "D", _H, _SEEN)),
        ),
        Pattern(
            "sequential",
            "Sequential interdependence",
            "What one actor gives a second lets the second help a third, and nothing returns along the chain "
            "(Thompson, 1967).",
            "In a chain, the first link has least reason to act; look for what the end of the chain can offer it.",
            "thompson",
            (("A", "B", _H, _SEEN), ("B", "C", _H, _SEEN)),
        ),
        Pattern(
            "reciprocal-group",
            "Reciprocal interdependence",
            "A group in which help can flow from each actor to every other, directly or through others "
            "(Thompson, 1967): the densest kind of interdependence, needing the most mutual adjustment.",
            "Reciprocal groups need a standing forum: one-off agreements cannot keep up with mutual adjustment.",
            "thompson",
            (("A", "B", _H, _SEEN), ("B", "C", _H, _SEEN), ("C", "A", _H, _SEEN), ("B", "A", _H, _SEEN)),
        ),
        Pattern(
            "broker",
            "Broker",
            "An actor whose removal would split the network: the only link between parties that would otherwise "
            "not be connected. Betweenness measures how much of the network's connection runs through each actor.",
            "Brokers are natural conveners, and single points of failure.",
            "brokers",
            (("A", "B", _H, _SEEN), ("B", "C", _H, _SEEN), ("C", "B", _H, _SEEN)),
        ),
        Pattern(
            "conflict",
            "Conflict",
            "An asset of one actor hurts a purpose of another. Conflicts are interdependence too: they are often "
            "what brings parties to the table.",
            "Name the harm plainly; a deal that removes it can be worth as much as one that adds help.",
            "conflicts",
            (("A", "B", _T, _SEEN),),
        ),
        Pattern(
            "mixed-pair",
            "Mixed pair",
            "One actor helps another while the other hurts it: a relationship with something to trade and "
            "something to settle.",
            "Mixed pairs are where value claiming is fiercest; the help can pay for ending the harm.",
            "conflicts",
            (("A", "B", _H, _SEEN), ("B", "A", _T, _SEEN)),
        ),
        Pattern(
            "latent-deal",
            "Latent deal",
            "A reciprocal pair or cycle in which at least one step was never recognized, or seen only after the "
            "deal was agreed: a deal left on the table.",
            "This is the memo's question: how many makeable deals are in the room that nobody has seen?",
            "latent_deals",
            (("A", "B", _H, _SEEN), ("B", "A", _H, _NEVER)),
        ),
    )
}

assert set(PATTERNS) == set(analyze.PATTERNS), "every pattern the analysis counts is described here"
