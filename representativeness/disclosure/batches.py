"""Figures for a growing group without a snapshot record: whole batches only.

A group whose people are added one at a time (an activity's attendees giving their own profile) would,
counted live, give each newcomer's answers away to anyone comparing two outputs. As with a survey's
published snapshot (disclosure.snapshot), the protected audience's figures count the first people in
whole batches of `snapshot_refresh_after()`, in the order they were stored, so any two outputs differ by
a batch at least.
"""

from representativeness.disclosure.snapshot import snapshot_refresh_after


def published_count(people: int) -> int:
    """How many of `people` (stored in order) the protected audience's figures count."""
    batch = snapshot_refresh_after()
    return people // batch * batch


def batch_note(*, published: int) -> str:
    """What the protected audience is told about the people its figures count (never how many more)."""
    batch = snapshot_refresh_after()
    if published == 0:
        return f"No figures are published yet: they are published once at least {batch} people have been counted."
    return (
        f"These figures count the first {published:,} people. They are updated after every {batch} more, so "
        "that no two versions of them differ by a few people's answers."
    )
