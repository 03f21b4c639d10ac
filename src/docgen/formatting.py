"""Chinese business formatting: 人民币大写, 中文日期, thousands separators, percentages, durations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")
CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 16


def _as_decimal(amount: Any) -> Decimal:
    if isinstance(amount, bool) or isinstance(amount, float):
        raise TypeError(f"amounts must be Decimal or int, not {type(amount).__name__}: {amount!r}")
    if isinstance(amount, int):
        return Decimal(amount)
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ValueError(f"金额必须是有限数: {amount}")
        return amount
    raise TypeError(f"amounts must be Decimal or int, not {type(amount).__name__}: {amount!r}")


def _group(n: int) -> str:
    """Four digits (0 < n < 10000) in capitals, with inner zero runs as one 零."""
    digits = f"{n:04d}"
    out: list[str] = []
    zero = False
    for i, ch in enumerate(digits):
        d = int(ch)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[d] + SMALL_UNITS[3 - i])
    return "".join(out)


def _integer(n: int) -> str:
    """Yuan part in capitals; 零 is written wherever a group starts with zeros after a higher group."""
    if n == 0:
        return ""
    groups = []
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out: list[str] = []
    pending_zero = False
    previous = 1
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000 or previous % 10 == 0):
            out.append("零")
        out.append(_group(g) + GROUP_UNITS[idx])
        pending_zero = False
        previous = g
    return "".join(out)


def rmb_upper(amount: Decimal | int) -> str:
    """人民币大写 per the PBOC rules: 1409.50 → 壹仟肆佰零玖元伍角整; 16409.02 → 壹万陆仟肆佰零玖元零贰分.

    Rounds half-up to the fen; 整 follows 元 or 角, never 分; 零 is always written at 万/亿 gaps.
    """
    value = _as_decimal(amount)
    if value < 0:
        raise ValueError(f"金额不能为负数: {value}")
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if value >= LIMIT:
        raise ValueError(f"金额过大（须小于 10^16 元）: {value}")
    yuan = int(value)
    fen_total = int((value - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    if yuan == 0 and fen_total == 0:
        return "零元整"
    text = _integer(yuan)
    if yuan:
        text += "元"
    if jiao == 0 and fen == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text


def money(amount: Decimal | int) -> str:
    """1234567.5 → '1,234,567.50' (half-up to the fen)."""
    value = _as_decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def yuan(amount: Decimal | int) -> str:
    """1234567.5 → '¥1,234,567.50'."""
    return "¥" + money(amount)


def rmb_full(amount: Decimal | int) -> str:
    """'人民币（大写）壹拾贰万叁仟肆佰伍拾陆元柒角捌分（¥123,456.78）'."""
    return f"人民币（大写）{rmb_upper(amount)}（{yuan(amount)}）"


def cn_date(value: date) -> str:
    """2026-11-02 → '2026年11月2日' (no zero padding)."""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime) -> str:
    """2026-11-02 09:05 → '2026年11月2日 9:05'."""
    return f"{cn_date(value)} {value.hour}:{value.minute:02d}"


def percent(value: Decimal | int, places: int = 2) -> str:
    """A percentage number: Decimal('99.9') → '99.90%'; percent(20, 0) → '20%'."""
    quantum = Decimal(1).scaleb(-places)
    return f"{_as_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)}%"


def duration(minutes: int) -> str:
    """30 → '30分钟', 90 → '1小时30分钟', 120 → '2小时', 4320 → '3天' (whole days from 2 days up)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError(f"durations are whole minutes, not {minutes!r}")
    if minutes < 0:
        raise ValueError(f"时长不能为负数: {minutes}")
    if minutes >= 2880 and minutes % 1440 == 0:
        return f"{minutes // 1440}天"
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}小时{mins}分钟"
    if hours:
        return f"{hours}小时"
    return f"{mins}分钟"


FILTERS: dict[str, Callable[..., str]] = {
    "rmb_upper": rmb_upper,
    "rmb_full": rmb_full,
    "money": money,
    "yuan": yuan,
    "cn_date": cn_date,
    "cn_datetime": cn_datetime,
    "percent": percent,
    "duration": duration,
}
