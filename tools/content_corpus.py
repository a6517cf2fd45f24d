"""The broken copies of the real content files in tests/content_corpus/: each is today's
questions.yaml or clinic.yaml with one deliberate error, so each is refused for that error
alone (tests/content_corpus/expected.toml says with which code and on which line).

Run `python -m tools.content_corpus` after questions.yaml or clinic.yaml changes; the corpus
test fails while a copy is stale. The small files of the corpus (syntax, tags, depth) are
written by hand and do not depend on the real files.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "content_corpus"

Edit = tuple[str, str]  # text that occurs exactly once in the real file, and what replaces it

# questions.yaml: one deliberate error each.
QUESTIONS_EDITS: dict[str, tuple[Edit, ...]] = {
    "22-missing-spanish.questions.yaml": (
        (
            "title:\n  en: Facial movement self-check\n"
            "  es: Autoevaluación de movimientos de la cara\n",
            "title:\n  en: Facial movement self-check\n",
        ),
    ),
    "23-duplicate-question-id.questions.yaml": (
        (
            "      - id: rf_recurrence\n",
            "      - id: rf_worsening\n"
            "        scale: yes_no_unsure\n"
            '        text: {en: "Is the weakness spreading?", es: "¿Se extiende la debilidad?"}\n'
            "        short: {en: Weakness spreading, es: La debilidad se extiende}\n"
            "      - id: rf_recurrence\n",
        ),
    ),
    "24-duplicate-option-id.questions.yaml": (
        (
            "      - {id: never, points: 0, text: {en: Never, es: Nunca}}\n",
            "      - {id: never, points: 0, text: {en: Never, es: Nunca}}\n"
            "      - {id: never, points: 0, text: {en: Never, es: Nunca}}\n",
        ),
    ),
    "25-show-if-forward.questions.yaml": (
        (
            '        show_if: {question: rf_new_weakness, is: ["yes", unsure]}\n',
            '        show_if: {question: rf_lump, is: ["yes"]}\n',
        ),
    ),
    "26-show-if-cycle.questions.yaml": (
        (
            "      - id: rf_new_weakness\n",
            "      - id: rf_new_weakness\n"
            '        show_if: {question: rf_new_weakness_checked, is: ["no"]}\n',
        ),
    ),
    "27-rule-unknown-question.questions.yaml": (
        (
            '  - reason: lump\n    tier: soon\n    when: {question: rf_lump, is: ["yes"]}\n',
            '  - reason: lump\n    tier: soon\n    when: {question: rf_lumps, is: ["yes"]}\n',
        ),
    ),
    "28-threshold-out-of-range.questions.yaml": (
        ("  consult_score:\n    value: 25\n", "  consult_score:\n    value: 250\n"),
        ("  sign_count:\n    value: 2\n", "  sign_count:\n    value: 13\n"),
    ),
}

# clinic.yaml: one deliberate error each.
CLINIC_EDITS: dict[str, tuple[Edit, ...]] = {
    "30-unknown-key.clinic.yaml": (("\nemail: ", "\nemial: "),),
    "31-missing-phone.clinic.yaml": (
        ("phone: 806-503-2090            # call or text; shown as a tap-to-call link\n", ""),
    ),
    "32-booking-url-not-https.clinic.yaml": (("booking_url: https://", "booking_url: http://"),),
    "33-emergency-number-words.clinic.yaml": (
        ('emergency_number: "911"\n', "emergency_number: call the police\n"),
    ),
    "34-missing-spanish.clinic.yaml": (
        ("  - days: {en: Friday, es: Viernes}\n", "  - days: {en: Friday}\n"),
    ),
    "35-default-language-not-offered.clinic.yaml": (
        ("languages: [en, es]\n", "languages: [es]\n"),
    ),
    "36-frame-ancestors-wildcard.clinic.yaml": (
        (
            "store_anonymous_screenings: true\n",
            "store_anonymous_screenings: true\nframe_ancestors: ['*', 'http://clinic.example']\n",
        ),
    ),
    "37-duplicate-key.clinic.yaml": (
        ("default_language: en\n", "default_language: en\nlanguages: [en]\n"),
    ),
    "38-alias.clinic.yaml": (
        ("\nname: FACEPLUS+", "\nname: &n FACEPLUS+"),
        ("website: https://www.facepluspsi.com/\n", "website: *n\n"),
    ),
    "39-python-tag.clinic.yaml": (
        ('emergency_number: "911"\n', "emergency_number: !!python/object/apply:os.getcwd []\n"),
    ),
    "40-wrong-type.clinic.yaml": (
        ("store_anonymous_screenings: true\n", "store_anonymous_screenings: sometimes\n"),
    ),
}


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    """The text with each edit made; ValueError when an edit's text is not there exactly once
    (the real file changed there: update the edit)."""
    for old, new in edits:
        if text.count(old) != 1:
            raise ValueError(f"expected exactly one {old!r}, found {text.count(old)}")
        text = text.replace(old, new)
    return text


def derived(root: Path = ROOT) -> dict[str, str]:
    """File name -> content of every broken copy, from the real files under `root`."""
    sources = (
        (root / "questions.yaml", QUESTIONS_EDITS),
        (root / "clinic.yaml", CLINIC_EDITS),
    )
    made: dict[str, str] = {}
    for source, edits in sources:
        text = source.read_text(encoding="utf-8")
        for name, changes in edits.items():
            made[name] = apply(text, changes)
    return made


def main() -> None:
    for name, text in derived().items():
        path = CORPUS / name
        path.write_bytes(text.encode("utf-8"))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
