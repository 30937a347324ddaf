"""Queries the page cache adds to a page rendered on a miss (roadmap/page_cache.py).

Query-count tests pin the cold path, the worst case: the lookup in the shared
cache, then storing the page (cull count, savepoint, existing key, insert,
release). A page served from the cache skips all of the page's own queries.
"""

PAGE_CACHE_MISS = 6
