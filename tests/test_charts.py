"""Charts: round axis ticks, bars as tall as their values, gaps for missing values."""

from io import BytesIO

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from docgen.charts import COLOURS, SIZE, bar_chart, line_chart, nice_ticks


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _column_height(image: Image.Image, x: int, colour: tuple[int, int, int]) -> int:
    return sum(1 for y in range(image.height) if image.getpixel((x, y)) == colour)


def test_nice_ticks_are_round_and_cover_the_top():
    assert nice_ticks(46) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(110)[-1] >= 110
    assert nice_ticks(0) == [0.0, 1.0]
    assert nice_ticks(1.15) == [0, 0.25, 0.5, 0.75, 1.0, 1.25]


def test_bar_heights_follow_the_values():
    chart = bar_chart(["P1", "P2", "P3", "P4"], [10, 20, 40, 0], title="本月工单按级别分布", ylabel="工单数")
    image = Image.open(BytesIO(chart.png)).convert("RGB")
    assert image.size == SIZE
    blue = _rgb(COLOURS[0])
    columns = [x for x in range(image.width) if _column_height(image, x, blue) > 0]
    groups: list[list[int]] = []
    for x in columns:  # neighbouring coloured columns form one bar
        if groups and x == groups[-1][-1] + 1:
            groups[-1].append(x)
        else:
            groups.append([x])
    assert len(groups) == 3  # the zero bar draws nothing
    h = [_column_height(image, g[len(g) // 2], blue) for g in groups]
    assert abs(h[1] - 2 * h[0]) <= 4 and abs(h[2] - 4 * h[0]) <= 6, h  # within anti-aliasing


def test_line_chart_leaves_a_gap_for_a_missing_value():
    full = line_chart(["7月", "8月", "9月"], {"得分": [90, 90, 90]}, title="趋势", ylabel="分")
    gap = line_chart(["7月", "8月", "9月"], {"得分": [90, None, 90]}, title="趋势", ylabel="分")
    images = [Image.open(BytesIO(c.png)).convert("RGB") for c in (full, gap)]
    blue = _rgb(COLOURS[0])
    counts = [{colour: n for n, colour in img.getcolors(maxcolors=1 << 20)}.get(blue, 0) for img in images]
    assert counts[1] < counts[0] / 2


_values = st.one_of(st.integers(min_value=-10, max_value=10**9),
                    st.decimals(min_value=-1, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
                    st.floats(min_value=0, max_value=1e12), st.sampled_from([float("nan"), float("inf"), 1e-9]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_values, min_size=0, max_size=300))
def test_bar_chart_draws_any_values_a_report_can_hold(values):
    """Zero, one, tiny next to huge (a 0.01 deduction beside 1,000), all equal, hundreds of bars."""
    chart = bar_chart([f"L{i}" for i in range(len(values))], values, title="违约金", ylabel="元")
    assert Image.open(BytesIO(chart.png)).size == SIZE


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from(["SLA", "可用率", "得分"]),
                       st.lists(st.one_of(st.none(), _values), min_size=0, max_size=24), min_size=1))
def test_line_chart_draws_any_series(series):
    n = max(len(v) for v in series.values())
    series = {k: v + [None] * (n - len(v)) for k, v in series.items()}
    chart = line_chart([f"{i + 1}月" for i in range(n)], series, title="趋势", ylabel="%")
    assert Image.open(BytesIO(chart.png)).size == SIZE


def test_a_tiny_bar_next_to_a_huge_one_is_visible():
    chart = bar_chart(["迟到", "旷工"], [0.01, 1000], title="违约金", ylabel="元")
    image = Image.open(BytesIO(chart.png)).convert("RGB")
    blue = _rgb(COLOURS[0])
    heights = sorted({_column_height(image, x, blue) for x in range(image.width)} - {0})
    assert heights and heights[0] >= 1


def test_a_subnormal_value_gets_ticks() -> None:
    """5e-324 ÷ 5 underflows to 0, whose logarithm does not exist."""
    assert nice_ticks(5e-324) == [0.0, 1.0]
    chart = bar_chart(["L0"], [5e-324], title="违约金", ylabel="元")
    assert Image.open(BytesIO(chart.png)).size == SIZE


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="运维外包服务合同（）、，。：ABC 12", max_size=80), st.integers(min_value=1, max_value=30))
def test_cover_lines_wrap_without_losing_text(text: str, limit: int) -> None:
    """A contract pack's subtitle wraps on the cover instead of running off the page."""
    from docgen.bundle import NO_LINE_START, wrap

    lines = wrap(text, lambda t: len(t) <= limit)
    assert "".join(lines) == text
    for line in lines:
        # a line is over the width only by the punctuation it may not start the next line with
        assert len(line.rstrip("".join(NO_LINE_START))) <= limit or len(line) == 1
    assert all(line[0] not in NO_LINE_START for line in lines[1:])
