"""The tab's history as the session knows it (web/selfcheck/trail.py): the step's Back moves the
browser back only when the entry before is the step it goes to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from web.selfcheck.trail import Entry, Trail

W: Entry = (None, None)
E: Entry = ("emergency", None)
A: Entry = ("about_you", None)
S: Entry = ("safety", None)
S_ES: Entry = ("safety", "es")


def walked(*entries: Entry) -> Trail:
    trail = Trail.begin(entries[0])
    for entry in entries[1:]:
        trail = trail.pushed(entry)
    return trail


@pytest.mark.parametrize(
    ("trail", "seen", "entries", "at"),
    [
        (walked(W, E, A), A, (W, E, A), 2),  # the address it is on: nothing moved
        (walked(W, E, A), E, (W, E, A), 1),  # the browser's Back
        (walked(W, E, A), W, (W, E, A), 0),  # Back twice before the app heard of the first
        (walked(W, E, A).seen(W), E, (W, E, A), 1),  # Forward
        (walked(W, E, A), ("about_you", "es"), (W, E, A, ("about_you", "es")), 3),  # language
        (walked(W, E, A).seen(E), S, (W, E, S), 2),  # a new entry drops what Forward reached
    ],
)
def test_what_the_browser_shows_places_the_trail(
    trail: Trail, seen: Entry, entries: tuple[Entry, ...], at: int
) -> None:
    moved = trail.seen(seen)
    assert (moved.entries, moved.at) == (entries, at)
    assert moved.here == seen


@pytest.mark.parametrize(
    ("trail", "target", "at"),
    [
        (walked(W, E, A, S), A, 2),  # the step before is the entry before: the browser's Back
        (walked(W, E), W, 0),  # back to the welcome screen
        (walked(S), A, None),  # a reload or a new tab: nothing known before, a new entry
        (walked(W, E, A, S), E, None),  # a step skipped on the way (show_if): a new entry
        (walked(A, S, S_ES), A, None),  # the entry before is the other language: a new entry
    ],
)
def test_the_step_back_goes_back_only_to_the_entry_before(
    trail: Trail, target: Entry, at: int | None
) -> None:
    moved = trail.back_to(target)
    if at is None:
        assert moved is None
    else:
        assert moved is not None and moved.at == at and moved.entries == trail.entries
        assert moved.here == target


steps = st.sampled_from([W, E, A, S, S_ES])


@given(st.lists(st.tuples(st.sampled_from(["push", "seen", "back"]), steps), max_size=30))
def test_the_trail_always_names_a_real_entry_and_forward_survives_back(
    moves: list[tuple[str, Entry]],
) -> None:
    trail = Trail.begin(W)
    for move, entry in moves:
        before = trail
        if move == "push":
            if entry == trail.here:
                continue  # the address only changes to a different one
            trail = trail.pushed(entry)
            assert trail.entries[-1] == entry and trail.at == len(trail.entries) - 1
        elif move == "seen":
            trail = trail.seen(entry)
            assert trail.here == entry
        else:
            moved = trail.back_to(entry)
            if moved is not None:
                trail = moved
                # Forward still reaches the entry the step's Back left (when the same address
                # is in the trail twice at the same distance, Back is taken: the phone's key)
                forward = trail.seen(before.here)
                assert forward.here == before.here
                if trail.entries.count(before.here) == 1:
                    assert forward.at == before.at
        assert 0 <= trail.at < len(trail.entries)
