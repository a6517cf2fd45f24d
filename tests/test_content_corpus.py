"""The corpus of broken content files (tests/content_corpus/): each is refused by
`python -m screening check` with exit 2 and every problem located, within a time and memory
bound, and the app shows its "temporarily unavailable" page for each instead of a half-valid
questionnaire. expected.toml says what each file must be refused with and where.

Three more are written here instead of committed: a 10 MB file, 100,000 nested lists, and
aliases thirty levels deep (expanded, 9^30 strings).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from apptest_support import APP, app_env  # noqa: F401  (app_env is an autouse fixture)
from streamlit.testing.v1 import AppTest

from screening.errors import CATALOGUE
from tools import content_corpus

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "content_corpus"
EXPECTED: dict[str, dict[str, object]] = tomllib.loads(
    (CORPUS / "expected.toml").read_text(encoding="utf-8")
)
MEMORY_LIMIT = 1024 * 2**20  # address space of one check
TIME_LIMIT = 20.0  # seconds of wall time for one check; it needs under one
# PATH:LINE: [field: ]message [CODE]; the line is what "located" means.
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+): .+ \[(?P<code>E[0-9]{3})\]$")


@dataclass(frozen=True)
class Checked:
    name: str
    path: Path
    code: int
    stdout: str
    stderr: str
    seconds: float
    cpu: float
    peak_mb: float


# `python -m screening check PATH`, under an address-space limit, reporting its own peak
# memory (VmHWM: this program's alone; wait4's figure would include the forked test process)
# and the CPU time it used (the bound is on CPU time: wall time on a shared machine is noise).
CHECK = f"""
import atexit, resource, runpy, sys
resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))
resource.setrlimit(resource.RLIMIT_CPU, ({int(TIME_LIMIT)}, {int(TIME_LIMIT)}))
checked, report = sys.argv[1], sys.argv[2]
def peak():
    with open("/proc/self/status") as status, open(report, "w") as out:
        used = resource.getrusage(resource.RUSAGE_SELF)
        kb = next(l.split()[1] for l in status if l.startswith("VmHWM:"))
        out.write(f"{{kb}} {{used.ru_utime + used.ru_stime}}")
atexit.register(peak)
sys.argv = ["screening", "check", checked]
runpy.run_module("screening", run_name="__main__", alter_sys=True)
"""


def check(name: str, path: Path, out: Path) -> Checked:
    """Check one file in its own process; its exit, output, time and peak memory."""
    out.mkdir(parents=True, exist_ok=True)
    stdout, stderr, peak = out / f"{name}.out", out / f"{name}.err", out / f"{name}.peak"
    start = time.perf_counter()
    with stdout.open("wb") as o, stderr.open("wb") as e:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHECK, str(path), str(peak)], cwd=ROOT, stdout=o, stderr=e
        )
        try:
            code = proc.wait(timeout=TIME_LIMIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
    seconds = time.perf_counter() - start
    kb, cpu = peak.read_text().split() if peak.exists() else ("inf", "inf")
    return Checked(
        name,
        path,
        code,
        stdout.read_text(encoding="utf-8", errors="replace"),
        stderr.read_text(encoding="utf-8", errors="replace"),
        seconds,
        float(cpu),
        float(kb) / 1024,
    )


def generated(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """The files too big to commit: name -> (path, codes it must be refused with)."""
    folder.mkdir(parents=True, exist_ok=True)
    huge = folder / "ten-megabytes.questions.yaml"
    with huge.open("w", encoding="utf-8") as f:
        line = "# " + "x" * 97 + "\n"
        f.write("title: {en: Check, es: Prueba}\n")
        f.write(line * (10 * 2**20 // len(line)))
    deep = folder / "deep-100000.questions.yaml"
    deep.write_text("title: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 30):
        laughs.append(f"l{level}: &l{level} [{', '.join([f'*{laughs_anchor(level)}'] * 9)}]")
    many = folder / "laughs-30-levels.questions.yaml"
    many.write_text("\n".join(laughs) + "\n", encoding="utf-8")
    return {
        huge.name: (huge, ["E101"]),
        deep.name: (deep, ["E107"]),
        many.name: (many, ["E103"]),
    }


def laughs_anchor(level: int) -> str:
    return "a" if level == 1 else f"l{level - 1}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    files = {
        name: (CORPUS / name, [str(c) for c in entry["codes"]])  # type: ignore[attr-defined]
        for name, entry in EXPECTED.items()
    }
    return files | generated(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="module")
def checked(
    corpus: dict[str, tuple[Path, list[str]]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Checked]:
    out = tmp_path_factory.mktemp("out")
    with ThreadPoolExecutor(max_workers=4) as pool:
        runs = list(pool.map(lambda item: check(item[0], item[1][0], out), corpus.items()))
    done = {run.name: run for run in runs}
    slowest = max(runs, key=lambda r: r.cpu)
    biggest = max(runs, key=lambda r: r.peak_mb)
    refused = sum(r.code == 2 for r in runs)
    print(
        f"\n[content corpus] {refused} of {len(runs)} broken files refused with exit 2; "
        f"most CPU {slowest.cpu:.2f} s ({slowest.name}), "
        f"largest peak memory {biggest.peak_mb:.0f} MB ({biggest.name}); "
        f"limits {TIME_LIMIT:.0f} s and {MEMORY_LIMIT // 2**20} MB address space"
    )
    return done


def test_the_manifest_and_the_folder_agree() -> None:
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "expected.toml"}
    assert on_disk == set(EXPECTED)
    assert len(EXPECTED) >= 30
    for name, entry in EXPECTED.items():
        codes, lines = entry["codes"], entry["lines"]
        assert isinstance(codes, list) and isinstance(lines, list), name
        assert codes and len(codes) == len(lines), name
        assert all(code in CATALOGUE for code in codes), name
        assert str(entry["why"]).strip(), name


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_committed_file_is_refused_with_every_problem_located(
    checked: dict[str, Checked], name: str
) -> None:
    run = checked[name]
    assert_refused(run, [str(c) for c in EXPECTED[name]["codes"]])  # type: ignore[attr-defined]
    found = problems(run)
    entry = EXPECTED[name]
    for code, line in zip(entry["codes"], entry["lines"], strict=True):  # type: ignore[call-overload]
        assert min(ln for c, ln in found if c == code) == line, (code, run.stdout)
    if name in content_corpus.QUESTIONS_EDITS or name in content_corpus.CLINIC_EDITS:
        # A copy of a real file with one deliberate error shows that error alone.
        assert {c for c, _ in found} == set(entry["codes"]), run.stdout  # type: ignore[call-overload]


def test_the_copies_of_the_real_files_are_made_from_todays_files() -> None:
    made = content_corpus.derived(ROOT)
    assert set(made) <= set(EXPECTED)
    for name, text in made.items():
        on_disk = (CORPUS / name).read_text(encoding="utf-8")
        assert on_disk == text, f"{name} is stale: run python -m tools.content_corpus"


@pytest.mark.parametrize(
    "name",
    [
        "ten-megabytes.questions.yaml",
        "deep-100000.questions.yaml",
        "laughs-30-levels.questions.yaml",
    ],
)
def test_each_generated_file_is_refused(
    checked: dict[str, Checked], corpus: dict[str, tuple[Path, list[str]]], name: str
) -> None:
    assert_refused(checked[name], corpus[name][1])


def test_loading_is_bounded_in_time_and_memory(checked: dict[str, Checked], tmp_path: Path) -> None:
    # A broken file costs no more than the real, valid questions.yaml (plus a margin).
    copy = tmp_path / "questions.yaml"
    copy.write_bytes((ROOT / "questions.yaml").read_bytes())
    good = check("real-questions.yaml", copy, tmp_path / "out")
    assert good.code == 0, good.stdout + good.stderr
    print(
        f"\n[content corpus] the valid questions.yaml: {good.cpu:.2f} s CPU, "
        f"{good.peak_mb:.0f} MB; no broken file may need more CPU than 3 s or 3 times that "
        f"(whichever is more), nor more than 64 MB above that memory"
    )
    for run in checked.values():
        assert run.seconds < TIME_LIMIT, (run.name, run.seconds)
        assert run.cpu < max(3.0, 3 * good.cpu), (run.name, run.cpu, good.cpu)
        assert run.peak_mb < good.peak_mb + 64, (run.name, run.peak_mb, good.peak_mb)


def test_a_tag_that_would_run_code_never_runs(checked: dict[str, Checked]) -> None:
    assert all("CORPUS TAG RAN" not in run.stdout + run.stderr for run in checked.values())


def assert_refused(run: Checked, codes: list[str]) -> None:
    assert run.code == 2, (run.name, run.code, run.stderr[-500:])
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert lines, run.name
    for line in lines:
        match = LOCATED.match(line)
        assert match, f"not located: {line}"
        assert Path(match["path"]).name == run.path.name
        assert match["code"] in CATALOGUE
    assert set(codes) <= {code for code, _ in problems(run)}, run.stdout
    assert run.stderr.strip().endswith("problem(s) found")


def problems(run: Checked) -> list[tuple[str, int]]:
    return [
        (m["code"], int(m["line"]))
        for m in (LOCATED.match(line) for line in run.stdout.splitlines())
        if m
    ]


# --- the app ---------------------------------------------------------------------------------


def open_with(monkeypatch: pytest.MonkeyPatch, path: Path) -> AppTest:
    kind = "SCREENING_CLINIC" if path.name.endswith("clinic.yaml") else "SCREENING_QUESTIONS"
    monkeypatch.setenv(kind, str(path))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    return at


def test_the_app_shows_its_unavailable_page_for_every_broken_file(
    corpus: dict[str, tuple[Path, list[str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = 0
    for name, (path, _) in corpus.items():
        with monkeypatch.context() as m:
            at = open_with(m, path)
        assert not at.exception, name
        assert [t.value for t in at.title] == ["Temporarily unavailable / No disponible por ahora"]
        words = "\n".join(str(t.value) for t in at.text)
        assert "In an emergency, call 911." in words, name
        if not name.endswith("clinic.yaml"):
            assert "806-503-2090" in words, name  # clinic.yaml is fine: its phone is shown
        assert not at.radio and not at.button, name
        shown += 1
    print(f"\n[content corpus] the app showed its unavailable page for {shown} broken files")
