"""The picture a chat app shows beside a shared link: a page's own words on a 1200 × 630 PNG.

Pure: words in, PNG bytes out. It uses only Pillow and the fonts shipped in guides/fonts/,
so every server draws the same picture whatever fonts it has.
"""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Change this when the drawing changes: it is part of every picture's address, so chat apps
# that keep pictures fetch the new one.
DESIGN_VERSION = "1"

FONTS = Path(__file__).resolve().parent / "fonts"
# The site's colours (static/css/site.css, light scheme).
HEADER = "#005eb8"
ON_HEADER = "#ffffff"
BACKGROUND = "#ffffff"
TEXT = "#212b32"
MUTED = "#4c6272"
ACCENT = "#007f3b"

MARGIN = 72
BAR_HEIGHT = 120
TITLE_SIZES = (76, 66, 58, 50)  # the largest that fits in three lines wins
LINE_SIZE = 40


@cache
def font(size, bold=False):
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def wrap(text, face, width, most_lines):
    """Words in lines no wider than `width`; None when they need more than `most_lines`."""
    lines = []
    for word in text.split():
        if lines and face.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines if len(lines) <= most_lines else None


def shorten(text, face, width, most_lines):
    """Like wrap(), but words that do not fit end the last line with '…'."""
    words = text.split()[:80]  # more words than ever fit: the loop below stays short
    while words:
        lines = wrap(" ".join(words), face, width, most_lines)
        if lines is not None:
            return lines
        words.pop()
        if words:
            words[-1] = words[-1].rstrip(",;:.") + "…"
    return []


def render_png(title, line, site_name="Backcare"):
    """The picture for one page: the site's name on a blue bar, the title large, one line under it."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAR_HEIGHT), fill=HEADER)
    draw.text((MARGIN, BAR_HEIGHT // 2), site_name, font=font(56, bold=True), fill=ON_HEADER, anchor="lm")
    draw.rectangle((0, HEIGHT - 16, WIDTH, HEIGHT), fill=ACCENT)

    text_width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        title_lines = wrap(title, font(size, bold=True), text_width, 3)
        if title_lines is not None:
            break
    else:
        title_lines = shorten(title, font(size, bold=True), text_width, 3)
    y = BAR_HEIGHT + 56
    for text in title_lines:
        draw.text((MARGIN, y), text, font=font(size, bold=True), fill=TEXT)
        y += int(size * 1.2)

    y += 24
    room = (HEIGHT - 16 - 24 - y) // int(LINE_SIZE * 1.35)
    for text in shorten(line, font(LINE_SIZE), text_width, max(room, 0)):
        draw.text((MARGIN, y), text, font=font(LINE_SIZE), fill=MUTED)
        y += int(LINE_SIZE * 1.35)

    # A few colours keep the file small: text edges still look smooth at 64 shades.
    output = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(output, format="PNG")
    return output.getvalue()
