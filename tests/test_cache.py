"""The one LRU cache the renderer uses: bounded by entries and by bytes."""

from infographic.cache import LRUCache


def test_entries_limit_drops_the_least_recently_used():
    cache = LRUCache(max_items=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_bytes_limit_and_oversized_items():
    cache = LRUCache(max_bytes=100, max_item_bytes=40)
    cache.put("big", b"x" * 41)
    assert cache.get("big") is None and cache.total_bytes == 0
    for key in range(5):
        cache.put(key, b"y" * 30)
    assert len(cache) == 3 and cache.total_bytes == 90 and cache.get(0) is None
    cache.put(4, b"z" * 10)  # replacing a value keeps the total right
    assert cache.total_bytes == 70
    cache.clear()
    assert len(cache) == 0 and cache.total_bytes == 0
