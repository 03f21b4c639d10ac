"""Working days and service-window clocks: what 工作日 and 5×8 mean in contracts and reports.

Why: "提前 N 个工作日" and a 5×8 window depend on China's statutory holidays and the weekends
made working days in exchange (调休), which the State Council announces year by year. They come
from the maintained package chinese-calendar; the policy may add a year it does not know yet or
correct a day (policy.calendar). A date in a year neither knows is an error, never a guess from
the weekday.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from . import models as m
from .errors import DocgenError
from .i18n import _

MAJOR_LEVELS = ("P1", "P2")  # 一级、二级: timed from the report even outside the window (SLA annex §2.1)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the policy's own years and corrections first, then chinese-calendar."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    years: frozenset[int] = field(default_factory=frozenset)  # years the policy lists in full

    @classmethod
    def of(cls, policy: m.Policy) -> WorkCalendar:
        return cls(holidays=frozenset(d for y in policy.calendar for d in y.holidays),
                   workdays=frozenset(d for y in policy.calendar for d in y.workdays),
                   years=frozenset(y.year for y in policy.calendar))

    def is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        if day.year in self.years:
            return day.weekday() < 5
        import chinese_calendar

        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            raise DocgenError(
                f"{day}: the working-day calendar does not know {day.year} (its statutory holidays and 调休 "
                f"are not announced in the installed chinese-calendar); list them in the policy: "
                f"calendar: [{{year: {day.year}, holidays: [...], workdays: [...]}}]") from None

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` ("提前 N 个工作日")."""
        days, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                days += 1
        return days


def _hours(window: m.ServiceWindow) -> tuple[time, time | None]:
    """Opening and closing time of each service day (closing None: midnight, 24:00)."""
    start, end = window.hours.split("-")
    return time.fromisoformat(start), None if end == "24:00" else time.fromisoformat(end)


def _serves_on(day: date, window: m.ServiceWindow, calendar: WorkCalendar) -> bool:
    return window.days == "每天" or calendar.is_workday(day)


def window_start(moment: datetime, window: m.ServiceWindow, calendar: WorkCalendar) -> datetime:
    """`moment` if the service window is open then, else the next time it opens."""
    if window.round_the_clock:
        return moment
    opens, closes = _hours(window)
    day = moment.date()
    if _serves_on(day, window, calendar) and opens <= moment.time() and (closes is None or moment.time() < closes):
        return moment
    if _serves_on(day, window, calendar) and moment.time() < opens:
        return datetime.combine(day, opens, moment.tzinfo)
    for _attempt in range(60):  # the longest run of days off (春节 with its weekends) is well under that
        day += timedelta(days=1)
        if _serves_on(day, window, calendar):
            return datetime.combine(day, opens, moment.tzinfo)
    raise DocgenError(_("no working day within 60 days after {day:%Y-%m-%d}; check the policy's calendar").format(
        day=moment))


def clock_start(ticket: m.Ticket, window: m.ServiceWindow, calendar: WorkCalendar) -> datetime:
    """When a ticket's time limits start, as the SLA annex §2 states them: at the report for a
    round-the-clock window (7×24), and for 一级、二级 faults at any hour; for other faults reported
    outside the window, when the window next opens. From there the limits run in natural time,
    without pause."""
    if window.round_the_clock or ticket.severity in MAJOR_LEVELS:
        return ticket.opened
    return window_start(ticket.opened, window, calendar)


def days_text(window: m.ServiceWindow) -> str:
    """The days of a window as the documents say them."""
    return "每天（含法定节假日）" if window.days == "每天" else "工作日（依国家法定节假日及调休安排确定）每天"


def clock_text(window: m.ServiceWindow) -> str:
    """The clock a report states it used."""
    if window.round_the_clock:
        return "时限自报障时间起算，按自然时间连续计算"
    days = "每天（含法定节假日）" if window.days == "每天" else "工作日"
    tail = "（工作日依国家法定节假日及调休安排）" if window.days == "工作日" else ""
    return (f"服务窗口为{days} {window.hours.replace('-', '—')}{tail}；"
            "一级、二级故障自报障时间起算，其他故障在服务窗口以外报告的，自下一服务窗口开始时起算；"
            "此后均按自然时间连续计算")


def elapsed_within(ticket: m.Ticket, stamp: datetime, limit_minutes: int, window: m.ServiceWindow,
                   calendar: WorkCalendar) -> bool:
    """Whether `stamp` (responded, arrived, …) lies within `limit_minutes` of the ticket's clock
    start; a stamp before the clock starts is within."""
    return stamp - clock_start(ticket, window, calendar) <= timedelta(minutes=limit_minutes)
