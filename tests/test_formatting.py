"""Chinese formatting filters: 人民币大写 golden vectors and the other filters."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, localcontext

import pytest

from docgen.formatting import (
    FILTERS,
    cn_date,
    cn_datetime,
    cn_month_day,
    cn_short_datetime,
    duration,
    money,
    percent,
    rmb_full,
    rmb_upper,
    target,
    yuan,
)

# Hand-checked against PBOC 《正确填写票据和结算凭证的基本规定》 with this module's choices:
# 零 for every zero run inside the yuan digits (万/亿 gaps included), 零 after 元 only when 角 = 0 < 分,
# 整 after 元 or 角 but never after 分, no 元 below one yuan, always 壹拾.
GOLDEN = [
    # below one yuan
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.01", "壹分"),
    ("0.05", "伍分"),
    ("0.1", "壹角整"),
    ("0.5", "伍角整"),
    ("0.50", "伍角整"),
    ("0.55", "伍角伍分"),
    ("0.99", "玖角玖分"),
    # small whole amounts, always 壹拾
    ("1", "壹元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("20", "贰拾元整"),
    ("100", "壹佰元整"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1001", "壹仟零壹元整"),
    # 角 / 分 combinations
    ("1.05", "壹元零伍分"),
    ("10.50", "壹拾元伍角整"),
    ("30.06", "叁拾元零陆分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("1000.10", "壹仟元壹角整"),
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("1409.5", "壹仟肆佰零玖元伍角整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    # 万 and 零 at the 万 gap
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("20000.10", "贰万元壹角整"),
    ("40000.40", "肆万元肆角整"),
    ("100001", "壹拾万零壹元整"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),
    ("123456.78", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
    ("200100", "贰拾万零壹佰元整"),
    ("1000000", "壹佰万元整"),
    ("1000005.07", "壹佰万零伍元零柒分"),
    ("1010101.01", "壹佰零壹万零壹佰零壹元零壹分"),
    ("1680000.00", "壹佰陆拾捌万元整"),
    ("5030000", "伍佰零叁万元整"),
    ("10000000", "壹仟万元整"),
    ("12345678", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元整"),
    ("20000000.20", "贰仟万元贰角整"),
    ("60036000", "陆仟零叁万陆仟元整"),
    # 亿, 万亿
    ("100000000", "壹亿元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("1010000000", "壹拾亿零壹仟万元整"),
    ("1234567890.12", "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
    ("100000000000", "壹仟亿元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000000000001", "壹万亿零壹元整"),
    ("1000000001000", "壹万亿零壹仟元整"),
    ("1000100000000", "壹万零壹亿元整"),
    ("1000000000000000", "壹仟万亿元整"),
    ("1234567800000000", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌亿元整"),
    ("9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    # ROUND_HALF_UP to the fen, before anything else
    ("1.005", "壹元零壹分"),
    ("2.675", "贰元陆角捌分"),
    ("0.004", "零元整"),
    ("0.005", "壹分"),
    ("0.995", "壹元整"),
    ("9.995", "壹拾元整"),
    ("99.999", "壹佰元整"),
    ("9999.995", "壹万元整"),
    ("1E+2", "壹佰元整"),
    ("-0", "零元整"),
]


@pytest.mark.parametrize(("amount", "expected"), GOLDEN)
def test_rmb_upper_golden(amount: str, expected: str) -> None:
    assert rmb_upper(Decimal(amount)) == expected


def test_golden_vectors_use_only_allowed_characters() -> None:
    allowed = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    for amount, expected in GOLDEN:
        assert set(expected) <= allowed, amount
        assert "零零" not in expected
        assert expected == "零元整" or not expected.startswith("零")
        assert not expected.endswith("分整")


def test_rmb_upper_accepts_int() -> None:
    assert rmb_upper(0) == "零元整"
    assert rmb_upper(10) == "壹拾元整"
    assert rmb_upper(200100) == "贰拾万零壹佰元整"


def test_rmb_upper_ignores_ambient_decimal_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        assert rmb_upper(Decimal("9999999999999999.99")).endswith("玖元玖角玖分")
        assert rmb_upper(Decimal("2.675")) == "贰元陆角捌分"


@pytest.mark.parametrize("bad", [Decimal("-0.01"), Decimal("-0.001"), Decimal("-5"), -1])
def test_rmb_upper_rejects_negative(bad: Decimal | int) -> None:
    with pytest.raises(ValueError, match="^an amount must not be negative: "):
        rmb_upper(bad)


@pytest.mark.parametrize("bad", [1.5, 0.0, True, False, "12.50", None])
def test_rmb_upper_rejects_float_bool_and_other_types(bad: object) -> None:
    with pytest.raises(TypeError):
        rmb_upper(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad", [Decimal(10) ** 16, Decimal("9999999999999999.995"), 10**16, Decimal("1E+30"),
            Decimal("Infinity"), Decimal("NaN")],
)
def test_rmb_upper_rejects_huge_and_non_finite(bad: Decimal | int) -> None:
    with pytest.raises(ValueError):
        rmb_upper(bad)


def test_rmb_full() -> None:
    assert rmb_full(Decimal("123456.78")) == "人民币（大写）壹拾贰万叁仟肆佰伍拾陆元柒角捌分（¥123,456.78）"
    assert rmb_full(Decimal("2.675")) == "人民币（大写）贰元陆角捌分（¥2.68）"
    assert rmb_full(0) == "人民币（大写）零元整（¥0.00）"
    with pytest.raises(ValueError):
        rmb_full(Decimal("-1"))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1234567.5"), "1,234,567.50"),
        (Decimal("0"), "0.00"),
        (0, "0.00"),
        (Decimal("0.005"), "0.01"),
        (Decimal("0.004"), "0.00"),
        (Decimal("2.675"), "2.68"),
        (Decimal("999.995"), "1,000.00"),
        (Decimal("1000"), "1,000.00"),
        (Decimal("999"), "999.00"),
        (1680000, "1,680,000.00"),
        (Decimal("9999999999999999.99"), "9,999,999,999,999,999.99"),
        (Decimal("1E+20"), "100,000,000,000,000,000,000.00"),
        (Decimal("-1234.5"), "-1,234.50"),
        (Decimal("-0.001"), "0.00"),
    ],
)
def test_money(amount: Decimal | int, expected: str) -> None:
    assert money(amount) == expected


def test_yuan() -> None:
    assert yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    assert yuan(Decimal("1680000")) == "¥1,680,000.00"
    assert yuan(Decimal("-5")) == "-¥5.00"
    assert yuan(Decimal("-0.001")) == "¥0.00"


@pytest.mark.parametrize("func", [money, yuan, percent])
@pytest.mark.parametrize("bad", [1.5, True, "1", None])
def test_number_filters_reject_float_bool_text(func: object, bad: object) -> None:
    with pytest.raises(TypeError):
        func(bad)  # type: ignore[operator]


@pytest.mark.parametrize("func", [money, yuan, percent])
def test_number_filters_reject_non_finite(func: object) -> None:
    with pytest.raises(ValueError):
        func(Decimal("NaN"))  # type: ignore[operator]


def test_dates_without_zero_padding() -> None:
    assert cn_date(date(2026, 11, 22)) == "2026年11月22日"
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert cn_date(datetime(2026, 1, 5, 23, 59)) == "2026年1月5日"
    assert cn_datetime(datetime(2026, 11, 2, 9, 5)) == "2026年11月2日 9:05"
    assert cn_datetime(datetime(2026, 11, 2, 0, 0, 59)) == "2026年11月2日 0:00"
    assert cn_datetime(datetime(2026, 12, 31, 23, 59)) == "2026年12月31日 23:59"
    aware = datetime(2026, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    assert cn_datetime(aware) == "2026年3月1日 8:30"


def test_date_filters_reject_other_types() -> None:
    with pytest.raises(TypeError):
        cn_date("2026-11-22")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cn_date(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cn_datetime(date(2026, 11, 22))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("99.9"), 2, "99.90%"),
        (Decimal("20"), 0, "20%"),
        (20, 0, "20%"),
        (Decimal("100"), 2, "100.00%"),
        (Decimal("33.335"), 2, "33.34%"),
        (Decimal("33.345"), 2, "33.35%"),
        (Decimal("99.9995"), 3, "100.000%"),
        (Decimal("99.95"), 1, "100.0%"),
        (Decimal("12.5"), 0, "13%"),
        (Decimal("0"), 2, "0.00%"),
        (Decimal("1E+2"), 0, "100%"),
        (Decimal("-0.001"), 2, "0.00%"),
        (Decimal("-1.5"), 1, "-1.5%"),
    ],
)
def test_percent(value: Decimal | int, places: int, expected: str) -> None:
    assert percent(value, places) == expected


def test_percent_default_places_and_bad_places() -> None:
    assert percent(Decimal("99.9")) == "99.90%"
    with pytest.raises(ValueError):
        percent(Decimal("1"), -1)
    with pytest.raises(TypeError):
        percent(Decimal("1"), 1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0, "0分钟"), (1, "1分钟"), (30, "30分钟"), (59, "59分钟"), (60, "1小时"), (61, "1小时1分钟"),
        (90, "1小时30分钟"), (120, "2小时"), (1440, "24小时"), (1500, "25小时"), (2879, "47小时59分钟"),
        (2880, "2天"), (2881, "48小时1分钟"), (2900, "48小时20分钟"), (4320, "3天"), (4380, "73小时"),
        (14400, "10天"),
    ],
)
def test_duration(minutes: int, expected: str) -> None:
    assert duration(minutes) == expected


def test_duration_rejects_negative_and_non_int() -> None:
    with pytest.raises(ValueError):
        duration(-1)
    for bad in (1.5, True, "30", None):
        with pytest.raises(TypeError):
            duration(bad)  # type: ignore[arg-type]


def test_filters_registry() -> None:
    assert {
        "rmb_upper": rmb_upper, "rmb_full": rmb_full, "cn_date": cn_date, "cn_month_day": cn_month_day,
        "cn_datetime": cn_datetime, "cn_short_datetime": cn_short_datetime,
        "money": money, "yuan": yuan, "percent": percent, "target": target, "duration": duration,
    } == FILTERS


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("99.95"), "99.95%"), (Decimal("99.90"), "99.9%"), (Decimal("99.9"), "99.9%"), (95, "95%"),
    (Decimal("100"), "100%"), (Decimal("0.5"), "0.5%"), (Decimal("99.995"), "99.995%"),
])
def test_a_target_prints_at_its_own_precision_never_rounded(value: Decimal, text: str) -> None:
    assert target(value) == text


def test_filters_work_in_jinja() -> None:
    """In the environment every template is rendered with (sandboxed, autoescaping, strict)."""
    from docgen.render import environment

    env = environment()
    assert {name: env.filters.get(name) for name in FILTERS} == FILTERS
    template = env.from_string(
        "{{ a|rmb_upper }}|{{ a|money }}|{{ p|percent(1) }}|{{ m|duration }}|{{ d|cn_date }}")
    out = template.render(a=Decimal("107000.53"), p=Decimal("99.95"), m=90, d=date(2026, 11, 22))
    assert out == "壹拾万零柒仟元伍角叁分|107,000.53|100.0%|1小时30分钟|2026年11月22日"


def test_cn_month_day() -> None:
    assert cn_month_day(date(2026, 9, 10)) == "9月10日"
    with pytest.raises(TypeError):
        cn_month_day("2026-09-10")  # type: ignore[arg-type]


def test_cn_short_datetime() -> None:
    assert cn_short_datetime(datetime(2026, 10, 4, 9, 5)) == "10月4日 09:05"
    with pytest.raises(TypeError):
        cn_short_datetime(date(2026, 10, 4))  # type: ignore[arg-type]
