"""Draw the movement illustrations (assets/illustrations/*.svg) and their review sheet.

Every picture is two small line-drawn faces: on the left at rest, on the right during the
movement, with the linked movement in the accent colour. Drawing them in code keeps one style
and makes the files reproducible: the same script always writes the same bytes.

The weak side is the person's left, which is on the viewer's right (x grows towards it).

    python tools/draw_illustrations.py          # SVGs, docs/illustrations.html and .png
    python tools/draw_illustrations.py --svg    # SVGs only (no cairosvg needed)
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "assets" / "illustrations"
SHEET_HTML = ROOT / "docs" / "illustrations.html"
SHEET_PNG = ROOT / "docs" / "illustrations.png"

WIDTH, HEIGHT = 320, 140
INK = "#1a1a1a"  # outlines: contrast 17:1 on white
SOFT = "#767676"  # faint details (usual creases, arrows): 4.5:1 on white
ACCENT = "#0b5cad"  # the linked movement: 6.6:1 on white
PAPER = "#ffffff"  # a card behind the faces so they read on a dark page too
REST_X, MOVE_X = 78, 242  # centres of the two faces


def n(value: float) -> str:
    """A coordinate without trailing zeros, so the files stay small and stable."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass
class Face:
    """One face drawn at centre x; each part is picked by name, extras are raw SVG."""

    cx: float
    eye_other: str = "open"
    eye_weak: str = "open"
    mouth: str = "rest"
    brows: str = "rest"
    creases: str = "none"
    extras: list[str] = field(default_factory=list)

    def x(self, dx: float) -> str:
        return n(self.cx + dx)

    def path(
        self, d: str, color: str = "", width: float = 0, fill: str = "", dash: str = ""
    ) -> str:
        attrs = f' d="{d}"'
        if color:
            attrs += f' stroke="{color}"'
        if width:
            attrs += f' stroke-width="{n(width)}"'
        if fill:
            attrs += f' fill="{fill}"'
        if dash:
            attrs += f' stroke-dasharray="{dash}"'
        return f"<path{attrs}/>"

    def svg(self) -> str:
        parts = [self._head(), self._neck(), self._ears()]
        parts += [self._brow(-1), self._brow(1)]
        parts += [self._eye(-1, self.eye_other), self._eye(1, self.eye_weak)]
        parts += [self._nose(), self._creases(), self._mouth()]
        parts += self.extras
        return "".join(p for p in parts if p)

    def _head(self) -> str:
        x = self.x
        d = (
            f"M{x(0)} 14C{x(26)} 14 {x(38)} 34 {x(38)} 58C{x(38)} 84 {x(24)} 110 {x(0)} 110"
            f"C{x(-24)} 110 {x(-38)} 84 {x(-38)} 58C{x(-38)} 34 {x(-26)} 14 {x(0)} 14Z"
        )
        return self.path(d)

    def _neck(self) -> str:
        x = self.x
        return self.path(
            f"M{x(-16)} 105L{x(-17)} 126Q{x(-19)} 132 {x(-40)} 138"
            f"M{x(16)} 105L{x(17)} 126Q{x(19)} 132 {x(40)} 138"
        )

    def _ears(self) -> str:
        x = self.x
        return self.path(
            f"M{x(37.5)} 52C{x(46)} 49 {x(46)} 70 {x(37)} 70"
            f"M{x(-37.5)} 52C{x(-46)} 49 {x(-46)} 70 {x(-37)} 70"
        )

    def _brow(self, s: int) -> str:
        x = self.x
        if self.brows == "effort":  # drawn together and down towards the nose
            return self.path(f"M{x(s * 7)} 46Q{x(s * 15)} 43 {x(s * 26)} 45")
        return self.path(f"M{x(s * 8)} 46Q{x(s * 16)} 41 {x(s * 26)} 45")

    def _eye(self, s: int, state: str) -> str:
        x = self.x
        inner, mid, outer = s * 8, s * 16, s * 24
        if state == "open":
            return (
                self.path(f"M{x(inner)} 57Q{x(mid)} 50 {x(outer)} 57Q{x(mid)} 63 {x(inner)} 57Z")
                + f'<circle cx="{x(mid)}" cy="56.6" r="2.6" fill="{INK}" stroke="none"/>'
            )
        if state == "closed":
            return self.path(f"M{x(inner)} 57Q{x(mid)} 62 {x(outer)} 57")
        if state == "narrow":  # squeezed: a slit, and the lower lid and cheek pushed up
            return self.path(
                f"M{x(inner)} 57Q{x(mid)} 53.5 {x(outer + s)} 56.5"
                f"Q{x(mid)} 58.5 {x(inner)} 57Z"
                f"M{x(inner + s * 2)} 62Q{x(mid)} 65 {x(outer + s * 2)} 61",
                ACCENT,
                2.6,
            )
        raise ValueError(state)

    def _nose(self) -> str:
        x = self.x
        return self.path(f"M{x(-2)} 60Q{x(-6)} 72 {x(-5)} 76Q{x(0)} 79 {x(5)} 76")

    def _creases(self) -> str:
        x = self.x
        usual = f"M{x(-9)} 74Q{x(-15)} 81 {x(-15)} 90M{x(9)} 74Q{x(15)} 81 {x(15)} 90"
        if self.creases == "usual":
            return self.path(usual, SOFT, 1.5)
        if self.creases == "deep":
            return self.path(f"M{x(-9)} 74Q{x(-15)} 81 {x(-15)} 90", SOFT, 1.5) + self.path(
                f"M{x(8)} 71Q{x(19)} 80 {x(18)} 96", ACCENT, 3.4
            )
        return ""

    def _mouth(self) -> str:
        x = self.x
        shapes = {
            "rest": f"M{x(-12)} 89Q{x(0)} 92 {x(12)} 89",
            "smile": f"M{x(-16)} 85Q{x(0)} 90 {x(16)} 85Q{x(0)} 101 {x(-16)} 85Z",
            "open": f"M{x(-7)} 90Q{x(0)} 83 {x(7)} 90Q{x(0)} 98 {x(-7)} 90Z",
            "pucker": f"M{x(-5)} 90Q{x(0)} 84 {x(5)} 90Q{x(0)} 96 {x(-5)} 90Z",
            "chew": f"M{x(-11)} 89Q{x(0)} 93 {x(11)} 89",
            "half_smile": f"M{x(-15)} 84Q{x(-6)} 93 {x(4)} 91Q{x(10)} 90 {x(12)} 88",
        }
        if self.mouth == "weak_corner_up":  # the weak corner lifts on its own
            return self.path(f"M{x(-12)} 89Q{x(-2)} 92 {x(6)} 89") + self.path(
                f"M{x(6)} 89Q{x(11)} 87 {x(14)} 82", ACCENT, 2.6
            )
        if self.mouth == "pucker":
            return self.path(shapes["pucker"]) + self.path(
                f"M{x(-2.5)} 90Q{x(0)} 88 {x(2.5)} 90", width=1.6
            )
        return self.path(shapes[self.mouth])


# Extras: the marks that show the linked movement or the action.


def _cheek_lift(f: Face) -> str:
    x = f.x
    # The cheek bunches up under the closed eye, and an arrow shows the corner going up.
    return f.path(
        f"M{x(10)} 67Q{x(19)} 63 {x(28)} 67",
        ACCENT,
        2.6,
    ) + f.path(f"M{x(23)} 92V82M{x(20)} 85L{x(23)} 81.5L{x(26)} 85", ACCENT, 2)


def _neck_bands(f: Face) -> str:
    x = f.x
    # Cords standing out from under the jaw down to the collarbone, on the weak side.
    return f.path(
        f"M{x(3)} 109L{x(5)} 132M{x(8.5)} 108L{x(12)} 131M{x(14)} 106L{x(19)} 128",
        ACCENT,
        2.6,
    )


def _chin_dimples(f: Face) -> str:
    x = f.x
    # Small pits over the chin (an "orange peel" look), below a deeper fold under the lip.
    pits = [(-4, 102), (1, 100), (6, 102), (11, 100.5), (-1, 106), (4, 106.5), (9, 105.5)]
    rings = "".join(
        f'<circle cx="{x(dx)}" cy="{n(y)}" r="1.5" fill="{ACCENT}" stroke="none"/>'
        for dx, y in pits
    )
    return rings + f.path(f"M{x(-6)} 97.5Q{x(0)} 95.5 {x(6)} 97.5", ACCENT, 2)


def _tight_marks(f: Face) -> str:
    x = f.x
    # Two arrows pressing in on the cheek from both sides: the cheek feels squeezed tight.
    return f.path(
        f"M{x(8)} 76H{x(17)}M{x(13.5)} 72L{x(17.5)} 76L{x(13.5)} 80"
        f"M{x(34)} 76H{x(25)}M{x(28.5)} 72L{x(24.5)} 76L{x(28.5)} 80",
        ACCENT,
        2.4,
    )


def _effort_marks(f: Face) -> str:
    x = f.x
    # A dashed arrow: the lift the weak corner is trying to make; and strain lines.
    return (
        f.path(f"M{x(16)} 88Q{x(25)} 84 {x(27)} 73", ACCENT, 2.2, dash="3 3")
        + f.path(f"M{x(23)} 76L{x(27)} 72L{x(30)} 77", ACCENT, 2.2)
        + f.path(f"M{x(44)} 80L{x(50)} 78M{x(44)} 88L{x(50)} 89M{x(43)} 96L{x(48)} 99", ACCENT, 2)
    )


def _twitch_marks(f: Face) -> str:
    x = f.x
    # A zigzag under the eye with small shake marks on both ends: the cheek jumps.
    return f.path(
        f"M{x(13)} 69L{x(15.5)} 66L{x(18)} 70L{x(20.5)} 66L{x(23)} 70L{x(25.5)} 66L{x(28)} 69"
        f"M{x(9)} 64Q{x(7)} 68 {x(9)} 72M{x(32)} 64Q{x(34)} 68 {x(32)} 72",
        ACCENT,
        2.2,
    )


def _tears(f: Face) -> str:
    x = f.x

    def drop(dx: float, y: float) -> str:
        return (
            f"M{x(dx)} {n(y)}C{x(dx + 3.2)} {n(y + 4.5)} {x(dx + 3.4)} {n(y + 8)} {x(dx)} "
            f"{n(y + 8)}C{x(dx - 3.4)} {n(y + 8)} {x(dx - 3.2)} {n(y + 4.5)} {x(dx)} {n(y)}Z"
        )

    return f.path(drop(23, 63) + drop(26, 76), ACCENT, 1.6, ACCENT)


def _spoon(f: Face) -> str:
    x = f.x
    # A spoon at the lips, held from the other side: clearly a meal.
    handle = f"M{x(-12)} 98L{x(-44)} 130"
    bowl = f'<ellipse cx="{x(-7)}" cy="93" rx="8" ry="5" transform="rotate(-40 {x(-7)} 93)"'
    return f.path(handle, width=3.2) + f'{bowl} fill="{PAPER}"/>'


def _chew_marks(f: Face) -> str:
    x = f.x
    # An up-and-down arrow beside the jaw: talking or chewing.
    return f.path(
        f"M{x(-41)} 90L{x(-41)} 106M{x(-44)} 93L{x(-41)} 90L{x(-38)} 93"
        f"M{x(-44)} 103L{x(-41)} 106L{x(-38)} 103",
        SOFT,
        2,
    )


@dataclass(frozen=True)
class Drawing:
    file: str
    title: str
    desc: str
    rest: Callable[[float], Face]
    move: Callable[[float], Face]


def _rest(cx: float) -> Face:
    return Face(cx)


DRAWINGS: tuple[Drawing, ...] = (
    Drawing(
        "eye_narrows_smile.svg",
        "Eye gets smaller when smiling",
        "Two faces. Left: a face at rest. Right: the face smiles, and the eye on the weak "
        "side gets smaller.",
        _rest,
        lambda cx: Face(cx, mouth="smile", eye_weak="narrow"),
    ),
    Drawing(
        "eye_narrows_talk_chew.svg",
        "Eye gets smaller when talking or chewing",
        "Two faces. Left: a face at rest. Right: the mouth moves to talk or chew, and the eye "
        "on the weak side gets smaller.",
        _rest,
        lambda cx: Face(cx, mouth="open", eye_weak="narrow", extras=[_chew_marks(Face(cx))]),
    ),
    Drawing(
        "cheek_lifts_eye_close.svg",
        "Cheek or mouth corner lifts when closing the eyes",
        "Two faces. Left: a face at rest. Right: the eyes are closed, and on the weak side "
        "the cheek and the corner of the mouth lift.",
        _rest,
        lambda cx: Face(
            cx,
            eye_other="closed",
            eye_weak="closed",
            mouth="weak_corner_up",
            extras=[_cheek_lift(Face(cx))],
        ),
    ),
    Drawing(
        "neck_tightens.svg",
        "Neck gets tight when puckering",
        "Two faces. Left: a face at rest. Right: the lips pucker, and tight bands show in the "
        "neck on the weak side.",
        _rest,
        lambda cx: Face(cx, mouth="pucker", extras=[_neck_bands(Face(cx))]),
    ),
    Drawing(
        "eye_narrows_pucker.svg",
        "Eye gets smaller when puckering or whistling",
        "Two faces. Left: a face at rest. Right: the lips pucker as if to whistle, and the eye "
        "on the weak side gets smaller.",
        _rest,
        lambda cx: Face(cx, mouth="pucker", eye_weak="narrow"),
    ),
    Drawing(
        "neck_tightens_eye_close.svg",
        "Neck gets tight when closing the eyes",
        "Two faces. Left: a face at rest. Right: the eyes are closed, and tight bands show in "
        "the neck on the weak side.",
        _rest,
        lambda cx: Face(cx, eye_other="closed", eye_weak="closed", extras=[_neck_bands(Face(cx))]),
    ),
    Drawing(
        "chin_dimples.svg",
        "Chin gets dimpled",
        "Two faces. Left: a face at rest. Right: the lips pucker, and the chin gets small "
        "dimples and bumps.",
        _rest,
        lambda cx: Face(cx, mouth="pucker", extras=[_chin_dimples(Face(cx))]),
    ),
    Drawing(
        "face_tight.svg",
        "Face feels tight",
        "Two faces. Left: a face at rest. Right: the cheek on the weak side is pulled tight, "
        "shown by two arrows that press in.",
        _rest,
        lambda cx: Face(cx, extras=[_tight_marks(Face(cx))]),
    ),
    Drawing(
        "effort_to_move.svg",
        "More effort to move the weak side",
        "Two faces. Left: a face at rest. Right: the face tries to smile. One side of the mouth "
        "lifts; the weak side lifts less and takes effort.",
        _rest,
        lambda cx: Face(cx, mouth="half_smile", brows="effort", extras=[_effort_marks(Face(cx))]),
    ),
    Drawing(
        "twitching.svg",
        "Twitching",
        "Two faces. Left: a face at rest. Right: the cheek below the eye on the weak side "
        "twitches, shown by a zigzag line and small shake marks.",
        _rest,
        lambda cx: Face(cx, extras=[_twitch_marks(Face(cx))]),
    ),
    Drawing(
        "cheek_crease.svg",
        "Deeper crease beside the nose and mouth",
        "Two faces. Left: faint creases beside the nose and mouth on both sides. Right: the "
        "crease on the weak side is deeper.",
        lambda cx: Face(cx, creases="usual"),
        lambda cx: Face(cx, creases="deep"),
    ),
    Drawing(
        "eye_waters_eating.svg",
        "Eye waters when eating",
        "Two faces. Left: a face at rest. Right: the person eats from a spoon, and tears run "
        "from the eye on the weak side.",
        _rest,
        lambda cx: Face(cx, mouth="chew", extras=[_spoon(Face(cx)), _tears(Face(cx))]),
    ),
)


def _arrow() -> str:
    return f'<path d="M144 62H178M171 55L179 62L171 69" stroke="{SOFT}" stroke-width="2.4"/>'


def draw(d: Drawing) -> str:
    """The SVG text of one drawing."""
    stem = d.file.removesuffix(".svg").replace("_", "-")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{stem}-title {stem}-desc">\n'
        f'<title id="{stem}-title">{html.escape(d.title)}</title>\n'
        f'<desc id="{stem}-desc">{html.escape(d.desc)}</desc>\n'
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="12" fill="{PAPER}"/>\n'
        f'<g fill="none" stroke="{INK}" stroke-width="2.2" stroke-linecap="round" '
        'stroke-linejoin="round">\n'
        f"{d.rest(REST_X).svg()}\n{_arrow()}\n{d.move(MOVE_X).svg()}\n"
        "</g>\n</svg>\n"
    )


def drawings() -> dict[str, str]:
    """File name -> SVG text, for every drawing (what the committed files must equal)."""
    return {d.file: draw(d) for d in DRAWINGS}


def write_svgs(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in drawings().items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


# The review sheet -------------------------------------------------------------------------------


def _sheet_rows() -> list[tuple[str, str, dict[str, str]]]:
    """(question id, file, texts) for every movement question that names a picture."""
    sys.path.insert(0, str(ROOT))
    from screening.questionnaire.loader import load_questionnaire

    rows = []
    for q in load_questionnaire().signs():
        if q.illustration is None:
            continue
        texts = {
            "short": q.short.en,
            "alt_en": q.illustration.alt.en,
            "alt_es": q.illustration.alt.es,
            "try_en": q.try_it.en if q.try_it else "",
            "try_es": q.try_it.es if q.try_it else "",
        }
        rows.append((q.id, q.illustration.file, texts))
    return rows


def sheet_html(rows: list[tuple[str, str, dict[str, str]]]) -> str:
    cells = []
    for qid, file, t in rows:
        e = {k: html.escape(v) for k, v in t.items()}
        cells.append(
            f'<figure id="{qid}">\n'
            f'  <img src="../assets/illustrations/{file}" alt="{e["alt_en"]}" '
            'width="320" height="140">\n'
            f"  <figcaption><b>{e['short']}</b> <code>{qid}</code>\n"
            f'    <p lang="en">Alt: {e["alt_en"]}</p>\n'
            f'    <p lang="es">Alt: {e["alt_es"]}</p>\n'
            f'    <p lang="en">Try it: {e["try_en"]}</p>\n'
            f'    <p lang="es">Pruebe: {e["try_es"]}</p>\n'
            "  </figcaption>\n</figure>"
        )
    body = "\n".join(cells)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Movement illustrations</title>\n"
        "<style>\n"
        "body{font:15px/1.4 system-ui,sans-serif;margin:24px;color:#1a1a1a}\n"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:20px}\n"
        "figure{margin:0;padding:10px;border:1px solid #ddd;border-radius:12px}\n"
        "img{display:block;max-width:100%;height:auto;max-height:140px}\n"
        "p{margin:4px 0}code{color:#555}\n"
        "</style>\n</head>\n<body>\n"
        "<h1>Movement illustrations</h1>\n"
        "<p>Made by <code>make illustrations</code> (tools/draw_illustrations.py). Left: at rest. "
        "Right: during the movement, with the linked movement in blue. The weak side is the "
        "person's left (the viewer's right).</p>\n"
        f'<div class="grid">\n{body}\n</div>\n</body>\n</html>\n'
    )


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def sheet_svg(rows: list[tuple[str, str, dict[str, str]]]) -> str:
    """One SVG holding every picture with its texts (rendered to the PNG)."""
    cols, cell_w, pad, line_h = 2, 360, 16, 16
    blocks = []
    heights = []
    for qid, file, t in rows:
        lines = [("b", part) for part in _wrap(f"{t['short']} ({qid})", 46)]
        for key, label, lang in (
            ("alt_en", "Alt", "en"),
            ("alt_es", "Alt", "es"),
            ("try_en", "Try it", "en"),
            ("try_es", "Pruebe", "es"),
        ):
            lines += [(lang, part) for part in _wrap(f"{label}: {t[key]}", 50)]
        blocks.append((file, lines))
        heights.append(HEIGHT + 14 + line_h * len(lines) + pad)
    row_heights = [max(heights[i : i + cols]) for i in range(0, len(heights), cols)]
    total_h = 76 + sum(row_heights) + pad
    total_w = cols * cell_w + pad * (cols + 1)
    font = 'font-family="DejaVu Sans, sans-serif"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" '
        f'width="{total_w}" height="{total_h}">',
        f'<rect width="{total_w}" height="{total_h}" fill="#f3f4f6"/>',
        f'<text x="{pad}" y="32" {font} font-size="20" font-weight="bold" fill="{INK}">'
        "Movement illustrations: at rest, then during the movement</text>",
        f'<text x="{pad}" y="56" {font} font-size="13" fill="{INK}">The linked movement is '
        "blue. The weak side is the person's left (the viewer's right).</text>",
    ]
    y = 72
    for r, row_h in enumerate(row_heights):
        for c in range(cols):
            i = r * cols + c
            if i >= len(blocks):
                break
            file, lines = blocks[i]
            x = pad + c * (cell_w + pad)
            svg = drawings()[file]
            inner = svg.split("\n", 1)[1].rsplit("</svg>", 1)[0]
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{row_h - pad}" rx="12" '
                'fill="#ffffff" stroke="#d0d4da"/>'
            )
            out.append(
                f'<svg x="{x + 20}" y="{y + 6}" width="{WIDTH}" height="{HEIGHT}" '
                f'viewBox="0 0 {WIDTH} {HEIGHT}">{inner}</svg>'
            )
            ty = y + HEIGHT + 20
            for kind, text in lines:
                weight = ' font-weight="bold"' if kind == "b" else ""
                color = INK if kind != "es" else "#3d3d3d"
                out.append(
                    f'<text x="{x + 12}" y="{ty}" {font} font-size="12.5" fill="{color}"'
                    f"{weight}>{html.escape(text)}</text>"
                )
                ty += line_h
        y += row_h
    out.append("</svg>")
    return "\n".join(out)


def write_sheet(png: bool = True) -> None:
    rows = _sheet_rows()
    SHEET_HTML.parent.mkdir(parents=True, exist_ok=True)
    SHEET_HTML.write_text(sheet_html(rows), encoding="utf-8", newline="\n")
    if png:
        # Needs the cairosvg package and the Cairo library (Debian: libcairo2) and a font
        # (Debian: fonts-dejavu-core); the PNG is committed, so tests never need them.
        import io

        import cairosvg
        from PIL import Image  # comes with streamlit

        picture: bytes = cairosvg.svg2png(bytestring=sheet_svg(rows).encode(), scale=1.5)
        # A 64-colour palette keeps the committed file small; line art loses nothing visible.
        image = Image.open(io.BytesIO(picture)).convert("RGB")
        image = image.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        image.save(SHEET_PNG, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--svg", action="store_true", help="write the SVGs only")
    parser.add_argument("--no-png", action="store_true", help="skip docs/illustrations.png")
    args = parser.parse_args(argv)
    for path in write_svgs():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    if not args.svg:
        write_sheet(png=not args.no_png)
        print(f"wrote {SHEET_HTML.relative_to(ROOT)}")
        if not args.no_png:
            print(f"wrote {SHEET_PNG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
