"""The account of an import: every entry of the file created, updated or skipped, and why."""

from collections import Counter
from dataclasses import dataclass, field

CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED = (
    "created",
    "updated",
    "unchanged",
    "skipped",
    "failed",
)
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED)
GROUP_OVER = 5
KINDS = ("post", "page", "comment", "label", "author", "attachment", "redirect", "other")


class Listed(str):
    """A reason each entry it is given to is listed by, however many share it: the author
    must be able to find every one (an edit of theirs kept, or replaced)."""


@dataclass
class Line:
    kind: str
    original_id: str
    title: str
    outcome: str
    reason: str
    itemised: bool = False  # Listed one by one however many share the reason.


@dataclass
class Ledger:
    """Counts per kind and outcome, the file's own counts to check them against, and notes."""

    held: Counter = field(default_factory=Counter)  # what the file holds, per kind
    counts: Counter = field(default_factory=Counter)  # (kind, outcome) -> n
    lines: list = field(default_factory=list)  # everything not plainly created or unchanged
    mends: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # images, links, threads: not entries
    dry_run: bool = False

    def record(self, kind, outcome, original_id="", title="", reason="", *, itemised=False):
        self.counts[kind, outcome] += 1
        if reason or outcome in (SKIPPED, FAILED):
            self.lines.append(Line(kind, original_id, title, outcome, reason, itemised))

    def note(self, text):
        self.notes.append(text)

    def total(self, kind):
        return sum(self.counts[kind, outcome] for outcome in OUTCOMES)

    def balanced(self):
        return all(self.total(kind) == self.held[kind] for kind in self.kinds())

    def kinds(self):
        seen = {kind for kind, _ in self.counts} | {k for k, n in self.held.items() if n}
        return [kind for kind in KINDS if kind in seen]

    def count(self, kind, outcome):
        return self.counts[kind, outcome]

    def lines_for(self, outcome=None, kind=None):
        return [
            line
            for line in self.lines
            if (outcome is None or line.outcome == outcome) and (kind is None or line.kind == kind)
        ]

    def summary(self):
        """The ledger as text, for the command line and the admin alike."""
        failed = sum(n for (_kind, outcome), n in self.counts.items() if outcome == FAILED)
        if self.dry_run:
            head = "Dry run: nothing was written."
        elif failed:
            entries = "entry" if failed == 1 else "entries"
            head = (
                f"Import finished, but {failed} {entries} failed (listed below): run it again "
                "once the cause is fixed, and only what is missing goes in."
            )
        else:
            head = "Import finished."
        out = [head]
        out += [f"Mended: {mend}" for mend in self.mends]
        width = max((len(kind) for kind in self.kinds()), default=4)
        for kind in self.kinds():
            parts = ", ".join(
                f"{self.counts[kind, outcome]} {outcome}"
                for outcome in OUTCOMES
                if self.counts[kind, outcome]
            )
            out.append(f"  {kind + 's':<{width + 1}}  {self.held[kind]:>6} in the file: {parts}")
        held = sum(self.held.values())
        accounted = sum(self.counts.values())
        if self.balanced():
            out.append(f"All {held} entries of the file are accounted for.")
        else:
            out.append(f"MISMATCH: the file holds {held} entries, {accounted} are accounted for.")
        groups = Counter((line.kind, line.outcome, line.reason) for line in self.lines)
        for line in self.lines:
            n = groups[line.kind, line.outcome, line.reason]
            if n > GROUP_OVER and not line.itemised:
                if n:  # Many alike (Blogger's settings): one line for them all.
                    out.append(f"  - {n} {line.kind} entries {line.outcome}: {line.reason}")
                    groups[line.kind, line.outcome, line.reason] = -1
                continue
            if n < 0:
                continue
            label = f"{line.title!r} ({line.original_id})" if line.title else line.original_id
            out.append(f"  - {line.kind} {label}: {line.outcome}, {line.reason}".rstrip(", "))
        out += [f"  * {note}" for note in self.notes]
        return "\n".join(out)
