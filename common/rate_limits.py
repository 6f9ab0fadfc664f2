"""Counting requests per client address in the cache, to refuse floods (saved journeys, resume attempts).

A fixed window per address: `cache.add` starts the count, `cache.incr` adds to it. Both are atomic on
Redis and Memcached, and within one process on the local-memory cache. Production runs several
processes, so it needs a cache they share with atomic increments: Redis (`CACHE_URL=redis://...`) or
Memcached. The local-memory default only counts per process, and the database and file caches
increment with a read then a write, so concurrent requests can be under-counted.

Addresses are hashed before they go into the cache: the counts need no one's address in clear.
"""

import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# An IPv6 client usually holds a whole /64: count it as one address.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (RATE_LIMIT_CLIENT_IP_HEADER)."""
    header = settings.RATE_LIMIT_CLIENT_IP_HEADER
    raw = str(request.META.get(header) or "") if header else ""
    # A proxy's X-Forwarded-For ends with the address it saw; anything before that the client could have sent.
    raw = raw.split(",")[-1].strip() or str(request.META.get("REMOTE_ADDR") or "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def rate_limit_exceeded(*, request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one request of `scope` from this client; True once more than `limit` came in the window."""
    window = int(time.time() // window_seconds)
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"rate:{scope}:{window}:{address}"
    count = 1
    if not cache.add(key, count, timeout=window_seconds + 5):
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this request starts the count again
            cache.add(key, count, timeout=window_seconds + 5)
    return count > limit
