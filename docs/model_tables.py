"""The tables of ``docs/model.md`` that follow from the presets, computed from them.

``docs/model.md`` quotes the presets' referral chains (section 7.4), the gatekeeper example
(7.3) and the per-attempt probabilities the model compiles for each preset profile and
segment (7.6). Pasted figures go stale when the presets are recalibrated, so they come from
here, and ``tests/test_docs.py`` checks that the page holds exactly what this prints:

    PYTHONPATH=. python docs/model_tables.py
"""

from __future__ import annotations

from sim.model.decisions import apply_skill, compile_call_params, referral_chain_outcomes
from sim.scenario import Scenario
from sim.scenario.segment import Segment
from sim.scenario.team import Profile

SEGMENTS = ("small", "medium", "large")
PROFILES = ("student", "experienced")


def presets() -> tuple[dict[str, Segment], dict[str, Profile]]:
    """The preset segments and profiles, as a scenario naming them all gets them."""
    scenario = Scenario.model_validate(
        {
            "name": "presets",
            "segments": {name: {} for name in SEGMENTS},
            "team": [{"profile": name, "count": 1} for name in PROFILES],
        }
    )
    return dict(scenario.segments), dict(scenario.profiles)


def referral_table() -> str:
    """Section 7.4: each preset segment's chain, P(reach DM) and mean hops per chain."""
    segments, _ = presets()
    lines = [
        "| segment | `d` | `n` | `l` | `H` | P(reach DM) | mean hops per chain |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for name in SEGMENTS:
        r = segments[name].referral
        chain = referral_chain_outcomes(r)
        reach = sum(p for p, _, dm in chain if dm)
        hops = sum(p * h for p, h, _ in chain)
        lines.append(
            f"| {name} | {r.direct_to_dm_prob:g} | {r.next_is_dm_prob:g} | "
            f"{r.thread_lost_prob:g} | {r.max_hops} | {reach:.3f} | {hops:.2f} |"
        )
    return "\n".join(lines)


def gatekeeper_example() -> str:
    """Section 7.3: the skill rule on the large preset's gatekeeper, for both preset skills."""
    segments, profiles = presets()
    gk = segments["large"].gatekeeper
    base = [gk.pass_prob, gk.dm_out_prob, gk.email_prob, gk.refusal_prob]
    parts = []
    for name in PROFILES:
        skill = profiles[name].gatekeeper_skill
        (p,), (out, email, refusal) = apply_skill([base[0]], base[1:], skill)
        parts.append(
            f"with the {name} preset's skill {skill:g}, pass {p:.3g}, DM out {out:.3g}, "
            f"email {email:.3g}, refusal {refusal:.3g}"
        )
    return (
        f"Example: large firms (pass {base[0]:.2f}, DM out {base[1]:.2f}, email {base[2]:.2f}, "
        f"refusal {base[3]:.2f}) give, {parts[0]}; {parts[1]}."
    )


def call_table() -> str:
    """Section 7.6: compiled per-attempt probabilities of each preset profile and segment."""
    segments, profiles = presets()
    lines = [
        "| profile × segment | answered | P(DM conversation), DM unknown | "
        "P(DM conversation), DM known | immediate | long-term | booked given immediate |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for profile in PROFILES:
        for name in SEGMENTS:
            segment = segments[name]
            p = compile_call_params(segment, profiles[profile])
            answered = 1.0 - p.line_cuts[2]
            present = p.gatekeeper_present_prob
            reach = sum(q for q, _, dm in referral_chain_outcomes(segment.referral) if dm)
            passed = 1.0 - present + present * p.gatekeeper_cuts[0]
            unknown = answered * passed * reach * p.dm_available_prob
            known = answered * p.dm_available_prob
            immediate = p.needs_cuts[0]
            long_term = p.needs_cuts[1] - p.needs_cuts[0]
            lines.append(
                f"| {profile} × {name} | {answered:.2f} | {unknown:.3f} | {known:.3f} | "
                f"{immediate:.4f} | {long_term:.4f} | {p.meeting_booking_prob:.3f} |"
            )
    return "\n".join(lines)


def tables() -> list[str]:
    """Every generated block, in the order the page shows them."""
    return [gatekeeper_example(), referral_table(), call_table()]


if __name__ == "__main__":
    print("\n\n".join(tables()))
