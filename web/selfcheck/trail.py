"""What this tab's browser history holds, as far as this session has seen it: the addresses
(step, language) of its entries in order, and which one the browser is on.

Why: the step's own Back button should be the browser's Back when the entry before is the step
it goes to, rather than add an entry. Otherwise the history reads "about you, safety, about you",
and the phone's Back after the step's Back returns to the later step instead of the one before.
Pure: web/selfcheck/address.py keeps it in the session and acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Entry = tuple[str | None, str | None]  # (the address's step, its language), as in the address


@dataclass(frozen=True)
class Trail:
    entries: tuple[Entry, ...]
    at: int = 0

    @classmethod
    def begin(cls, entry: Entry) -> Trail:
        """A tab whose history before this entry is unknown (a new tab, a reload, a link)."""
        return cls((entry,))

    @property
    def here(self) -> Entry:
        return self.entries[self.at]

    def pushed(self, entry: Entry) -> Trail:
        """A new entry after the current one; the entries Forward would have reached are gone,
        as in the browser."""
        return Trail((*self.entries[: self.at + 1], entry), self.at + 1)

    def seen(self, entry: Entry) -> Trail:
        """The browser shows `entry`: it moved to one of the known entries (Back or Forward, one
        or several), or something this session did not write added it (the language switch)."""
        if entry == self.here:
            return self
        known = [i for i, e in enumerate(self.entries) if e == entry]
        if known:  # the nearest; at equal distance the earlier one (Back is the likelier move)
            return replace(self, at=min(known, key=lambda i: abs(i - self.at)))
        return self.pushed(entry)

    def back_to(self, entry: Entry) -> Trail | None:
        """The trail after the browser's Back when the entry before this one is `entry`; None
        when it is not (or unknown): the step then goes back by adding an entry."""
        if self.at > 0 and self.entries[self.at - 1] == entry:
            return replace(self, at=self.at - 1)
        return None
