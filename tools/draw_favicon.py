"""Draw the clinic's favicon: assets/favicon.png (64 px) and assets/favicon.ico (16, 32, 48 px).

A face in the share card's blue (tools/draw_share_card.py): a smile and one narrowed eye, the
movement the share card shows. Plain shapes, so it still reads at 16 px. `make favicon`.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from tools.draw_share_card import BLUE

ROOT = Path(__file__).resolve().parent.parent
SIZE = 256  # drawn large, then scaled down with antialiasing


def face() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=56, fill=BLUE)
    white = (255, 255, 255)
    draw.ellipse((78, 82, 110, 114), fill=white)  # the open eye
    draw.line((146, 100, 182, 94), fill=white, width=16)  # the narrowed eye
    draw.arc((64, 104, 192, 204), start=20, end=160, fill=white, width=18)  # the smile
    return image


def main() -> None:
    image = face()
    png = ROOT / "assets" / "favicon.png"
    image.resize((64, 64), Image.Resampling.LANCZOS).save(png, optimize=True)
    ico = ROOT / "assets" / "favicon.ico"
    image.save(ico, sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"wrote {png.relative_to(ROOT)} and {ico.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
