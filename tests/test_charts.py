"""Charts: round axis ticks, bars as tall as their values, gaps for missing values."""

from io import BytesIO

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
