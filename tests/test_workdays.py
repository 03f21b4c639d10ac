"""Working days and SLA clocks, against hand-computed cases.

Calendar facts used (State Council arrangement for 2026, as chinese-calendar has it): 中秋节
2026-09-25 (Fri) is a holiday; 国庆节 2026-10-01 to 10-07 are holidays; Sunday 2026-09-20 and
Saturday 2026-10-10 are working days (调休). The 5×8 window below is 09:00-17:00.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import MINI, write_mini

from docgen import models as m
from docgen.errors import DocgenError
from docgen.metrics import month_metrics
from docgen.reports import monthly_context
from docgen.validate import load_dataset
from docgen.workdays import WorkCalendar, clock_start, elapsed_within

CAL = WorkCalendar()


def _sla(window: str = "5×8") -> m.ServiceWindow:
    """The window an SLA of `window` applies, as the default vocabulary defines it."""
    sla = m.Sla.model_validate({
        "service_window": window, "service_hours": "09:00-17:00", "availability_target_pct": 99,
        "availability_systems": ["核心业务系统"],
        "levels": [{"level": lv, "name": lv, "definition": "x", "response": "30m", "arrival": "2h",
                    "restore": "4h", "closure": "3d"} for lv in ("P1", "P3")]})
    return m.resolve_window(sla, m.Vocabulary().window(window))


def _ticket(severity: str, opened: str) -> m.Ticket:
    return m.Ticket.model_validate({"id": "T", "agreement": "a", "severity": severity, "category": "c",
                                    "system": "s", "summary": "x", "opened": opened})


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_friday_evening_p3_on_5x8_starts_monday_at_nine() -> None:
    ticket = _ticket("P3", "2026-11-13 17:50")  # a Friday, after the window closed
    assert clock_start(ticket, _sla(), CAL) == at("2026-11-16 09:00")
    assert elapsed_within(ticket, at("2026-11-16 08:40"), 30, _sla(), CAL)  # answered before the window opened
    assert elapsed_within(ticket, at("2026-11-16 09:30"), 30, _sla(), CAL)  # exactly at the limit
    assert not elapsed_within(ticket, at("2026-11-16 09:31"), 30, _sla(), CAL)
    # on 7×24 the same answer came 62 h 50 min after the report
    assert not elapsed_within(ticket, at("2026-11-16 08:40"), 30, _sla("7×24"), CAL)


def test_a_p1_runs_from_the_report_at_any_hour() -> None:
    ticket = _ticket("P1", "2026-11-13 17:50")
    assert clock_start(ticket, _sla(), CAL) == at("2026-11-13 17:50")
    assert not elapsed_within(ticket, at("2026-11-16 08:40"), 30, _sla(), CAL)


def test_a_p3_reported_on_the_eve_of_guoqing_starts_when_work_resumes() -> None:
    ticket = _ticket("P3", "2026-09-30 18:00")
    assert clock_start(ticket, _sla(), CAL) == at("2026-10-08 09:00")  # 10-01 to 10-07 are holidays
    assert elapsed_within(ticket, at("2026-10-08 10:00"), 120, _sla(), CAL)
    inside = _ticket("P3", "2026-10-10 10:00")  # a Saturday made a working day
    assert clock_start(inside, _sla(), CAL) == at("2026-10-10 10:00")
    before_nine = _ticket("P3", "2026-10-09 07:30")
    assert clock_start(before_nine, _sla(), CAL) == at("2026-10-09 09:00")


def test_a_7x24_ticket_over_a_month_boundary_counts_each_limit_in_the_month_it_is_decided(tmp_path) -> None:
    text = MINI["tickets.csv"].replace(
        "INC-1,hx-2026,P1,硬件故障,核心业务系统,服务器宕机,2026-10-03 09:00,2026-10-03 09:10,"
        "2026-10-03 10:00,2026-10-03 12:00,2026-10-04 12:00,s1,5",
        "INC-1,hx-2026,P1,硬件故障,核心业务系统,服务器宕机,2026-10-31 23:00,2026-10-31 23:10,"
        "2026-11-01 00:50,2026-11-01 02:30,2026-11-02 12:00,s1,5")
    data = load_dataset(write_mini(tmp_path / "data", **{"tickets.csv": text}))
    october, november = month_metrics(data, "hx-2026", 2026, 10), month_metrics(data, "hx-2026", 2026, 11)

    def decided(mm) -> dict[str, tuple[int, int, int]]:
        return {r.metric: (r.measured, r.met, r.pending) for r in mm.sla_rows if r.level == "P1"}

    # response at 23:10 (10 of 15 min): October; arrival 00:50 (110 of 120 min), restore 02:30
    # (3 h 30 min of 4 h, across midnight) and closure 11-02 12:00 (37 h of 72 h): November
    assert decided(october) == {"响应": (1, 1, 0), "到场": (0, 0, 1), "恢复": (0, 0, 1), "闭环": (0, 0, 1)}
    assert decided(november) == {"响应": (0, 0, 0), "到场": (1, 1, 0), "恢复": (1, 1, 0), "闭环": (1, 1, 0)}
    assert october.ticket_count == 1 and november.ticket_count == 0  # counted where it was reported
    assert [c.ticket.id for c in november.carried] == ["INC-1"]


def test_change_notice_counts_statutory_holidays_out() -> None:
    # requested on 09-30, effective 10-09: the working days after the request are 10-08 and 10-09
    assert CAL.workdays_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    # across 中秋: 09-25 (Fri) is a holiday, 09-20 (Sun) a working day
    assert [d for d in range(19, 26) if CAL.is_workday(date(2026, 9, d))] == [20, 21, 22, 23, 24]
    assert CAL.workdays_between(date(2026, 9, 18), date(2026, 9, 25)) == 5  # Mon-Fri counting also says 5, by luck
    # 20 (Sun), 21-24, 28-30, 10-08, 10-09; Mon-Fri counting says 15
    assert CAL.workdays_between(date(2026, 9, 18), date(2026, 10, 9)) == 10


def test_a_year_the_calendar_does_not_know_is_an_error_unless_the_policy_lists_it() -> None:
    with pytest.raises(DocgenError, match="does not know 2031"):
        CAL.is_workday(date(2031, 1, 2))
    listed = WorkCalendar.of(m.Policy.model_validate({
        **_policy_fields(), "calendar": [{"year": 2031, "holidays": ["2031-01-01"], "workdays": ["2031-01-04"]}]}))
    assert not listed.is_workday(date(2031, 1, 1)) and listed.is_workday(date(2031, 1, 2))
    assert listed.is_workday(date(2031, 1, 4)) and not listed.is_workday(date(2031, 1, 5))


def test_the_monthly_report_states_the_clock_it_used(tmp_path) -> None:
    five_by_eight = MINI["agreements.yaml"].replace("service_window: 7×24", "service_window: 5×8")
    data = load_dataset(write_mini(tmp_path / "data", **{"agreements.yaml": five_by_eight}))
    clock = monthly_context(data, data.agreement("hx-2026"), 2026, 10)["clock"]
    assert "服务窗口为工作日 09:00—17:00" in clock and "自下一服务窗口开始时起算" in clock


def _policy_fields() -> dict[str, object]:
    from ruamel.yaml import YAML

    return dict(YAML(typ="safe").load(MINI["policy.yaml"])["policy"])



def test_a_window_defined_in_the_policy_sets_the_clock() -> None:
    """A 5×12 window (working days 08:00-20:00) and a 7×12 one (every day) from the vocabulary."""
    five_twelve = m.ServiceWindow(name="5×12", days="工作日", hours="08:00-20:00")
    seven_twelve = m.ServiceWindow(name="7×12", days="每天", hours="08:00-20:00")
    friday_evening = _ticket("P3", "2026-11-13 19:50")
    assert clock_start(friday_evening, five_twelve, CAL) == at("2026-11-13 19:50")  # still open
    late = _ticket("P3", "2026-11-13 20:10")
    assert clock_start(late, five_twelve, CAL) == at("2026-11-16 08:00")  # Monday
    assert clock_start(late, seven_twelve, CAL) == at("2026-11-14 08:00")  # Saturday
    assert clock_start(_ticket("P1", "2026-11-13 23:00"), five_twelve, CAL) == at("2026-11-13 23:00")
