"""Chinese business formatting filters for templates: 人民币大写, 中文日期, amounts, percentages, durations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal

from .i18n import _

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
LIMIT = Decimal(10) ** 16
"""rmb_upper handles amounts below 10^16 元 (up to 玖仟玖佰玖拾玖万…亿…元玖角玖分)."""


def _as_decimal(value: object) -> Decimal:
    """Decimal or int → finite Decimal; float, bool and anything else → TypeError."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"amounts must be Decimal or int, not {type(value).__name__}: {value!r}")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(_("an amount must be a finite number: {value}").format(value=value))
    return result


def _round(value: Decimal, places: int) -> Decimal:
    """Round half-up to `places` decimals, whatever the ambient decimal context; -0 becomes 0."""
    quantum = Decimal(1).scaleb(-places)
    context = Context(prec=max(28, value.adjusted() + places + 2))
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP, context=context)
    return rounded if rounded else rounded.copy_abs()


def _integer_upper(n: int) -> str:
    """Yuan digits (0 < n < 10^16) in capitals: any zero run between two non-zero digits is one 零."""
    digits = str(n)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(digits):
        power = len(digits) - 1 - i
        d = int(ch)
        if d:
            if zero:
                out.append("零")
                zero = False
            out.append(DIGITS[d] + SMALL_UNITS[power % 4])
        else:
            zero = True
        if power == 8:
            out.append("亿")  # n ≥ 10^8 here, so 亿 is always written (壹万亿, 壹拾亿)
        elif power in (4, 12) and int(digits[max(0, i - 3):i + 1]) != 0:
            out.append("万")
    return "".join(out)


def rmb_upper(amount: Decimal | int) -> str:
    """人民币大写 per PBOC 《正确填写票据和结算凭证的基本规定》, e.g. 1409.50 → 壹仟肆佰零玖元伍角整.

    Rounds half-up to the fen. 整 follows 元 or 角 (伍角整), never 分. Below one yuan there is no 元
    (0.05 → 伍分). 零 is written for every zero run inside the yuan digits, 万/亿 gaps included
    (107000 → 壹拾万零柒仟), and between 元 and 分 when 角 is 0 (16409.02 → …元零贰分); no 零 is
    written between 元 and a non-zero 角 (1680.32 → 壹仟陆佰捌拾元叁角贰分). No 人民币 prefix.
    Negative → ValueError; ≥ 10^16 after rounding → ValueError; float or bool → TypeError.
    """
    value = _as_decimal(amount)
    if value < 0:
        raise ValueError(_("an amount must not be negative: {amount}").format(amount=amount))
    if value < LIMIT:
        value = _round(value, 2)  # only now: a huge value would need a huge quantize
    if value >= LIMIT:
        raise ValueError(_("the amount is too large (it must be under 10^16 yuan): {amount}").format(amount=amount))
    yuan_part, cents = divmod(int(value.scaleb(2, context=Context(prec=40))), 100)
    jiao, fen = divmod(cents, 10)
    if yuan_part == 0 and cents == 0:
        return "零元整"
    text = _integer_upper(yuan_part) + "元" if yuan_part else ""
    if cents == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan_part:
        text += "零"
    return text + (DIGITS[fen] + "分" if fen else "整")


def money(amount: Decimal | int) -> str:
    """Thousands separators and two decimals, half-up: 1234567.5 → '1,234,567.50'; -5 → '-5.00'."""
    return f"{_round(_as_decimal(amount), 2):,.2f}"


def yuan(amount: Decimal | int) -> str:
    """money() with a ¥ sign: 1234567.5 → '¥1,234,567.50'; -5 → '-¥5.00'."""
    text = money(amount)
    return "-¥" + text[1:] if text.startswith("-") else "¥" + text


def rmb_full(amount: Decimal | int) -> str:
    """'人民币（大写）壹拾贰万叁仟肆佰伍拾陆元柒角捌分（¥123,456.78）'."""
    return f"人民币（大写）{rmb_upper(amount)}（{yuan(amount)}）"


def cn_date(d: date) -> str:
    """2026-11-02 → '2026年11月2日' (no zero padding); a datetime's time is ignored."""
    if not isinstance(d, date):
        raise TypeError(f"cn_date needs a date or datetime, not {type(d).__name__}: {d!r}")
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month_day(d: date) -> str:
    """2026-09-10 → '9月10日', for a table inside one month's report."""
    if not isinstance(d, date):
        raise TypeError(f"cn_month_day needs a date or datetime, not {type(d).__name__}: {d!r}")
    return f"{d.month}月{d.day}日"


def cn_short_datetime(dt: datetime) -> str:
    """2026-10-04 13:39 → '10月4日 13:39', for tables inside one period's report."""
    if not isinstance(dt, datetime):
        raise TypeError(f"cn_short_datetime needs a datetime, not {type(dt).__name__}: {dt!r}")
    return f"{dt.month}月{dt.day}日 {dt:%H:%M}"


def cn_datetime(dt: datetime) -> str:
    """2026-11-02 09:05 → '2026年11月2日 9:05' (hour unpadded, wall-clock time as stored)."""
    if not isinstance(dt, datetime):
        raise TypeError(f"cn_datetime needs a datetime, not {type(dt).__name__}: {dt!r}")
    return f"{cn_date(dt)} {dt.hour}:{dt.minute:02d}"


def percent(value: Decimal | int, places: int = 2) -> str:
    """A value already in percent, half-up to `places` decimals: Decimal('99.9') → '99.90%'."""
    if isinstance(places, bool) or not isinstance(places, int):
        raise TypeError(f"places must be an int, not {places!r}")
    if places < 0:
        raise ValueError(f"places must be ≥ 0, not {places}")
    return f"{_round(_as_decimal(value), places):f}%"


def target(value: Decimal | int) -> str:
    """A target or threshold as the contract sets it, at its own precision, never rounded:
    Decimal('99.95') → '99.95%', Decimal('99.90') → '99.9%', 95 → '95%'."""
    text = f"{_as_decimal(value).normalize():f}"
    return f"{text}%"


def duration(minutes: int) -> str:
    """30 → '30分钟', 90 → '1小时30分钟', 1440 → '24小时', 4320 → '3天' (days only for whole days ≥ 2)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError(f"durations are whole minutes (int), not {minutes!r}")
    if minutes < 0:
        raise ValueError(_("a duration must not be negative: {minutes}").format(minutes=minutes))
    if minutes >= 2880 and minutes % 1440 == 0:
        return f"{minutes // 1440}天"
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}小时{mins}分钟"
    return f"{hours}小时" if hours else f"{mins}分钟"


FILTERS: dict[str, Callable[..., str]] = {
    "rmb_upper": rmb_upper,
    "rmb_full": rmb_full,
    "cn_date": cn_date,
    "cn_month_day": cn_month_day,
    "cn_datetime": cn_datetime,
    "cn_short_datetime": cn_short_datetime,
    "money": money,
    "yuan": yuan,
    "percent": percent,
    "target": target,
    "duration": duration,
}
"""Jinja2 filter name → function, installed by docgen.render."""
