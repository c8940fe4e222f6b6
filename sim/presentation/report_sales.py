"""The report's sections on sales and money (issue #12), for runs whose scenario has sellers."""

from __future__ import annotations

from sim.analysis.money import money_by_group, money_by_profile, money_summary
from sim.analysis.results import Results
from sim.analysis.sellers import backlog_by_day
from sim.presentation.report_sections import _estimate, esc, html_table

_MONEY_LABELS = {
    "payroll_fixed": "payroll: fixed pay",
    "payroll_bonus": "payroll: bonuses",
    "payroll_commission": "payroll: commission",
    "payroll": "payroll",
    "revenue": "revenue (orders signed in the horizon)",
    "gross_margin": "gross margin",
    "dm_contacts": "DM contacts",
    "meetings": "meetings booked",
    "meetings_held": "meetings the client came to",
    "sales": "sales",
    "cost_per_dm_contact": "cost per DM contact",
    "cost_per_meeting": "cost per meeting",
    "cost_per_sale": "cost per sale",
    "payback_day": "payback day (revenue covers payroll)",
}


def sales_sections(results: Results) -> list[str]:
    """Money per replication of the whole team, callers' pay by group, sellers' backlog."""
    meetings = results.meetings
    if meetings is None:
        return []
    scenario = results.scenario
    summary = money_summary(scenario, results.operator_days, meetings)
    rows = [
        [_MONEY_LABELS[r["metric"]], _estimate(r["mean"], r["ci_low"], r["ci_high"])]
        for r in summary.to_dict("records")
    ]
    columns = ("fixed", "bonus", "commission", "seller_share", "meetings", "sales")
    group_rows = []
    for by, frame in (
        ("group", money_by_group(scenario, results.operator_days, meetings)),
        ("profile", money_by_profile(scenario, results.operator_days, meetings)),
    ):
        frame = frame.assign(seller_share=frame["seller_fixed"] + frame["seller_commission"])
        means = frame.groupby(by).mean(numeric_only=True)
        group_rows += [
            [
                f"{by} {name}",
                *(f"{means.loc[name, c]:,.0f}" for c in (*columns, "cost_per_sale")),
            ]
            for name in means.index
        ]
    backlog = backlog_by_day(meetings, scenario.horizon_days, results.replications)
    last = backlog[backlog["day"] == scenario.horizon_days - 1]["backlog"]
    waits = meetings["wait_days"].dropna()
    return [
        "<h2 id=money>Sales and money</h2>",
        f"<p>The whole team per replication (the horizon), in {esc(scenario.currency)}: "
        "mean ± 95% CI half-width over replications. Payroll = fixed + bonuses + commission, "
        "callers and sellers together; revenue counts orders signed within the horizon.</p>",
        html_table(["figure", "per replication"], rows),
        "<h3>Pay and cost per sale by team group and by profile</h3>",
        "<p>Means per replication. The sellers' share: their fixed pay split by the meetings "
        "they held for the row's callers, their commission on the row's orders; cost per sale "
        "includes it.</p>",
        html_table(
            [
                "row",
                "fixed",
                "bonus",
                "commission",
                "sellers' share",
                "meetings",
                "sales",
                "cost per sale",
            ],
            group_rows,
        ),
        "<h3>Sellers</h3>",
        f"<p>Meetings waiting for a seller at the end of the horizon: {last.mean():.1f} on "
        f"average; a meeting held waited {waits.mean() if len(waits) else 0.0:.2f} working "
        "days past its booked day on average (chart 10).</p>",
    ]
