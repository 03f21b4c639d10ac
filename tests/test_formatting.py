"""Chinese formatting filters: 人民币大写 golden vectors and the other filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from docgen.formatting import cn_date, cn_datetime, duration, money, percent, rmb_full, rmb_upper, yuan

GOLDEN = [
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.05", "伍分"),
    ("0.5", "伍角整"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("10.50", "壹拾元伍角整"),
    ("15", "壹拾伍元整"),
    ("100", "壹佰元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1001", "壹仟零壹元整"),
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("20000.10", "贰万元壹角整"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),
    ("123456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
    ("200100", "贰拾万零壹佰元整"),
    ("1000000", "壹佰万元整"),
    ("1000005.07", "壹佰万零伍元零柒分"),
    ("1010101.01", "壹佰零壹万零壹佰零壹元零壹分"),
    ("1680000.00", "壹佰陆拾捌万元整"),
    ("10000000", "壹仟万元整"),
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("1234567890.12", "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
    ("1.005", "壹元零壹分"),
    ("2.675", "贰元陆角捌分"),
    ("0.004", "零元整"),
    ("99.999", "壹佰元整"),
]


@pytest.mark.parametrize(("amount", "expected"), GOLDEN)
def test_rmb_upper_golden(amount: str, expected: str) -> None:
    assert rmb_upper(Decimal(amount)) == expected


def test_rmb_upper_int_input() -> None:
    assert rmb_upper(200100) == "贰拾万零壹佰元整"


@pytest.mark.parametrize("bad", [Decimal("-0.01"), Decimal("-5")])
def test_rmb_upper_rejects_negative(bad: Decimal) -> None:
    with pytest.raises(ValueError, match="负数"):
        rmb_upper(bad)


@pytest.mark.parametrize("bad", [1.5, True, "12.50"])
def test_rmb_upper_rejects_float_bool_text(bad: object) -> None:
    with pytest.raises(TypeError):
        rmb_upper(bad)  # type: ignore[arg-type]


def test_rmb_upper_rejects_infinite_and_huge() -> None:
    with pytest.raises(ValueError):
        rmb_upper(Decimal("Infinity"))
    with pytest.raises(ValueError):
        rmb_upper(Decimal(10) ** 16)


def test_only_allowed_characters() -> None:
    allowed = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    for amount, _ in GOLDEN:
        assert set(rmb_upper(Decimal(amount))) <= allowed


def test_rmb_full_and_money() -> None:
    assert rmb_full(Decimal("123456.78")) == "人民币（大写）壹拾贰万叁仟肆佰伍拾陆元柒角捌分（¥123,456.78）"
    assert money(Decimal("1234567.5")) == "1,234,567.50"
    assert money(Decimal("0.005")) == "0.01"
    assert yuan(Decimal("1680000")) == "¥1,680,000.00"


def test_dates_without_zero_padding() -> None:
    assert cn_date(date(2026, 11, 22)) == "2026年11月22日"
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert cn_datetime(datetime(2026, 11, 2, 9, 5)) == "2026年11月2日 9:05"


def test_percent() -> None:
    assert percent(Decimal("99.9")) == "99.90%"
    assert percent(Decimal("20"), 0) == "20%"
    assert percent(Decimal("33.335")) == "33.34%"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "0分钟"), (15, "15分钟"), (60, "1小时"), (90, "1小时30分钟"), (120, "2小时"), (1440, "24小时"),
     (2880, "2天"), (4320, "3天"), (2900, "48小时20分钟")],
)
def test_duration(minutes: int, expected: str) -> None:
    assert duration(minutes) == expected


def test_duration_rejects_negative() -> None:
    with pytest.raises(ValueError):
        duration(-1)
