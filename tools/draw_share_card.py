"""Draw assets/share.png, the picture a link preview shows (1200x630, the Open Graph size).

Uses the first movement drawing and Debian's DejaVu fonts; run with `make share-card`.
"""

from __future__ import annotations

import io
from pathlib import Path

import cairosvg
from PIL import Image, ImageDraw, ImageFont

from screening.questionnaire.loader import load_clinic, load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
BLUE = (11, 92, 173)
INK = (26, 26, 26)


def main() -> None:
    q = load_questionnaire()
    clinic = load_clinic()
    card = Image.new("RGB", (1200, 630), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 1200, 24), fill=BLUE)
    drawing = q.question("eye_narrows_smile").illustration
    assert drawing is not None
    svg = (ROOT / "assets" / "illustrations" / drawing.file).read_bytes()
    png = cairosvg.svg2png(bytestring=svg, output_width=760)
    picture = Image.open(io.BytesIO(png)).convert("RGBA")
    card.paste(picture, ((1200 - picture.width) // 2, 60), picture)
    title = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 58)
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 30)
    draw.text((600, 60 + picture.height + 30), q.title.en, font=title, fill=INK, anchor="mt")
    line = f"{q.minutes} minutes · English / Español · {clinic.name}"
    draw.text((600, 60 + picture.height + 110), line, font=small, fill=INK, anchor="mt")
    out = ROOT / "assets" / "share.png"
    card.save(out, optimize=True)
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
