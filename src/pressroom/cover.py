"""A typographic cover, drawn at build time from the title, subtitle and interviewee."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from .layout import BODY_FONT, font_dir
from .model import Book, plain_text

WIDTH, HEIGHT = 1600, 2400
_PAPER, _INK, _ACCENT = (246, 241, 232), (28, 26, 24), (150, 40, 32)
_MARGIN = 150


def cover_png(doc: Book) -> bytes:
    """The cover as PNG bytes (the same document always gives the same bytes)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    front = doc.front
    y = 360
    draw.rectangle((_MARGIN, y - 90, _MARGIN + 220, y - 78), fill=_ACCENT)
    y = _paragraph(draw, plain_text(front.title), _font(104, 600), y, line_height=1.18)
    if front.subtitle:
        y = _paragraph(draw, plain_text(front.subtitle), _font(66, 400, italic=True), y + 70, line_height=1.3)
    names = " and ".join(front.interviewee_names or front.editors)
    if names:
        _paragraph(draw, names.upper(), _font(54, 400), HEIGHT - 420, line_height=1.2)
    if front.publisher:
        _paragraph(draw, front.publisher, _font(44, 400, italic=True), HEIGHT - 300, line_height=1.2)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def cover_description(doc: Book) -> str:
    """The cover's alternative text."""
    parts = [plain_text(doc.front.title), plain_text(doc.front.subtitle), ", ".join(doc.front.interviewee_names or doc.front.editors)]
    return "Cover: " + " — ".join(part for part in parts if part)


def _font(size: int, weight: int, italic: bool = False) -> ImageFont.FreeTypeFont:
    style = {400: "Regular", 600: "SemiBold", 700: "Bold"}[weight]
    if italic:
        style = "Italic" if weight == 400 else f"{style}Italic"
    return ImageFont.truetype(str(font_dir() / f"{BODY_FONT}-{style}.ttf"), size)


def _paragraph(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, y: float, line_height: float) -> float:
    """Draw `text` wrapped to the cover's measure from `y`; returns the y below it."""
    measure = WIDTH - 2 * _MARGIN
    line: list[str] = []
    lines = []
    for word in text.split():
        if line and draw.textlength(" ".join([*line, word]), font=font) > measure:
            lines.append(" ".join(line))
            line = []
        line.append(word)
    if line:
        lines.append(" ".join(line))
    step = font.size * line_height
    for text_line in lines:
        draw.text((_MARGIN, y), text_line, font=font, fill=_INK)
        y += step
    return y
