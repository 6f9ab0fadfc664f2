"""What a process keeps for a short while: the newest few, each no older than its reader allows."""

from common.kept_in_process import KeptInProcess


def test_gives_back_what_it_kept_while_young_enough(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("common.kept_in_process.time.monotonic", lambda: clock[0])
    kept: KeptInProcess[str, int] = KeptInProcess(most=4)
    kept.keep("a", 1)
    clock[0] += 29.9
    assert kept.get("a", max_age=30) == 1
    clock[0] += 0.1
    assert kept.get("a", max_age=30) is None  # as old as allowed is too old
    assert kept.get("b", max_age=30) is None


def test_lets_the_least_recently_used_go_and_forgets_on_request():
    kept: KeptInProcess[str, int] = KeptInProcess(most=2)
    kept.keep("a", 1)
    kept.keep("b", 2)
    assert kept.get("a", max_age=60) == 1  # "a" used: "b" is now the least recently used
    kept.keep("c", 3)
    assert kept.get("b", max_age=60) is None
    assert (kept.get("a", max_age=60), kept.get("c", max_age=60)) == (1, 3)
    kept.keep("a", 10)  # kept again: the new value
    assert kept.get("a", max_age=60) == 10
    kept.forget("a")
    kept.forget("never kept")
    assert kept.get("a", max_age=60) is None
