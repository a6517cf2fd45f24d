"""Make the README's pictures of the take-away summary from real generated PDFs.

Builds the summary of one example answer set in English and in Spanish with
screening/outputs/report.py (into build/), then renders page 1 of each to docs/summary-en.png and
docs/summary-es.png with pdftoppm (Debian's poppler-utils). Run with `make summary-picture`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from screening.outputs.report import build_summary  # noqa: E402
from screening.questionnaire.loader import load_clinic, load_questionnaire  # noqa: E402
from screening.questionnaire.rules import evaluate  # noqa: E402

DAY = date(2025, 3, 14)
DPI = 90
# A palsy 1 to 5 years ago, seen by a doctor, most movement back, some linked movements: a
# consult result. Movements answered rarely or never are not listed on the summary.
ANSWERS: dict[str, str | list[str]] = {
    "rf_stroke_signs": "no",
    "rf_new_weakness": "no",
    "rf_breathing": "no",
    "hx_age": "40_64",
    "hx_palsy": "yes",
    "hx_onset": "1_5y",
    "hx_seen_doctor": "yes",
    "rf_eye_danger": "no",
    "rf_sudden_hearing": "no",
    "rf_worsening": "no",
    "rf_recurrence": "no",
    "rf_lump": "no",
    "rf_cancer": "no",
    "hx_eye_closes": "yes",
    "hx_recovery": "most",
    "hx_side": "left",
    "hx_treatment": ["therapy"],
    "eye_narrows_smile": "often",
    "eye_narrows_talk_chew": "sometimes",
    "eye_narrows_pucker": "sometimes",
    "cheek_lifts_eye_close": "rarely",
    "eye_waters_eating": "never",
    "neck_tightens": "always",
    "neck_tightens_eye_close": "rarely",
    "chin_dimples": "often",
    "cheek_crease": "sometimes",
    "face_tight": "sometimes",
    "effort_to_move": "rarely",
    "twitching": "never",
}


def main() -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        sys.exit("pdftoppm not found: apt-get install poppler-utils")
    q = load_questionnaire()
    clinic = load_clinic()
    result = evaluate(q, ANSWERS)
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    for lang in ("en", "es"):
        pdf = build / f"summary-{lang}.pdf"
        pdf.write_bytes(build_summary(q, clinic, result, lang, DAY))
        out = ROOT / "docs" / f"summary-{lang}"
        command = [pdftoppm, "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(pdf), str(out)], check=True)
        print(f"{pdf.relative_to(ROOT)} ({pdf.stat().st_size:,} bytes) -> docs/{out.name}.png")


if __name__ == "__main__":
    main()
