"""The per-process memo keeps at most its budget of bytes, least recently used first."""

from allas_site.core import memo as memo_module
from allas_site.core.memo import ENTRY_OVERHEAD, BoundedMemo


def test_values_come_back_as_fresh_copies():
    memo = BoundedMemo(10_000)
    memo.set("k", {"rows": [1, 2]}, 60)
    first = memo.get("k")
    first["rows"].append(3)
    assert memo.get("k") == {"rows": [1, 2]}
    assert memo.get("missing", "default") == "default"


def test_the_budget_holds_and_the_least_recently_used_go_first():
    probe = BoundedMemo(10_000)
    probe.set("key-0", "x" * 1000, 60)
    assert probe.size > 1000 + ENTRY_OVERHEAD  # the value pickled, its key, the overhead
    memo = BoundedMemo(5 * probe.size)  # room for five such entries
    for number in range(5):
        memo.set(f"key-{number}", "x" * 1000, 60)
    memo.get("key-0")  # used again: now the most recent
    memo.set("key-5", "x" * 1000, 60)
    assert memo.size <= memo.max_bytes
    assert memo.get("key-1") is None  # the least recently used went
    assert memo.get("key-0") is not None and memo.get("key-5") is not None
    for number in range(100):
        memo.set(f"more{number:02}", "y" * 1000, 60)
    assert memo.size <= memo.max_bytes and len(memo) <= 5


def test_a_value_larger_than_the_budget_is_not_kept():
    memo = BoundedMemo(1000)
    memo.set("small", "s", 60)
    memo.set("huge", "x" * 5000, 60)
    assert memo.get("huge") is None
    assert memo.get("small") == "s"


def test_expired_entries_are_dropped(monkeypatch):
    memo = BoundedMemo(10_000)
    clock = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: clock[0])
    memo.set("k", "v", 10)
    assert memo.get("k") == "v"
    clock[0] += 11
    assert memo.get("k") is None
    assert memo.size == 0


def test_replacing_a_key_does_not_count_it_twice():
    memo = BoundedMemo(100_000)
    memo.set("k", "x" * 1000, 60)
    size = memo.size
    memo.set("k", "y" * 1000, 60)
    assert memo.size == size and memo.get("k") == "y" * 1000
    memo.delete("k")
    assert memo.size == 0 and len(memo) == 0


def test_the_page_memo_takes_its_budget_from_the_settings(settings):
    from allas_site.core import page_cache

    assert page_cache._fragments.max_bytes == settings.PAGE_MEMO_MB * 1024 * 1024


def test_immutable_values_are_kept_as_they_are_and_counted():
    from django.utils.safestring import mark_safe

    memo = BoundedMemo(100_000)
    markup = mark_safe("<p>" + "x" * 1000 + "</p>")  # noqa: S308 - fixed markup
    memo.set("k", (3, markup), 60)
    kept = memo.get("k")
    assert kept == (3, markup) and kept[1] is markup  # no copy: nobody can change it
    assert memo.size > 1000 + ENTRY_OVERHEAD
    # A tuple holding something changeable is still kept pickled, so handed out afresh.
    memo.set("m", (3, ["a"]), 60)
    assert memo.get("m") == (3, ["a"]) and memo.get("m")[1] is not memo.get("m")[1]


def test_a_shared_value_is_handed_out_as_it_is_and_counted():
    memo = BoundedMemo(100_000)
    rows = [{"title": "x" * 1000}]
    memo.set("k", rows, 60, shared=True)
    assert memo.get("k") is rows and memo.get("k") is rows
    assert memo.size > 1000 + ENTRY_OVERHEAD
