"""Rate limits per client address, on the local-memory cache and on the Redis cache production uses."""

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from common.rate_limits import client_address, rate_limit_exceeded

REDIS = ("127.0.0.1", 6379)


def _redis_running() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(REDIS) == 0


def request(address: str = "198.51.100.7", **meta: str):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


CACHES = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limit-test"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://{REDIS[0]}:{REDIS[1]}/15",
        # Other runs share the server: keep this run's counts apart.
        "KEY_PREFIX": f"chorus-test-{uuid.uuid4().hex}",
    },
}


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_counts_each_address_within_its_window(backend):
    if backend == "redis" and not _redis_running():
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    with override_settings(CACHES={"default": CACHES[backend]}):
        try:
            hits = [rate_limit_exceeded(request=request(), scope="t", limit=3, window_seconds=3600) for _ in range(5)]
            assert hits == [False, False, False, True, True]
            assert not rate_limit_exceeded(request=request("198.51.100.8"), scope="t", limit=3, window_seconds=3600)
            assert not rate_limit_exceeded(request=request(), scope="other", limit=3, window_seconds=3600)
            # The cache holds counts under hashed keys, never the address itself.
            if backend == "redis":
                client = caches["default"]._cache.get_client()
                keys = b" ".join(client.keys(f"{CACHES['redis']['KEY_PREFIX']}*"))
                assert keys and b"198.51.100" not in keys
        finally:
            if backend == "redis":  # only this run's keys: flushing the database would touch others'
                client = caches["default"]._cache.get_client()
                for key in client.scan_iter(f"{CACHES['redis']['KEY_PREFIX']}*"):
                    client.delete(key)
            else:
                caches["default"].clear()


def test_an_ipv6_client_counts_as_its_whole_64():
    assert client_address(request("2001:db8:1:2:aaaa::1")) == client_address(request("2001:db8:1:2:bbbb::9"))
    assert client_address(request("2001:db8:1:2::1")) != client_address(request("2001:db8:1:3::1"))


def test_behind_a_proxy_the_address_it_saw_counts_not_what_the_client_claims():
    with override_settings(RATE_LIMIT_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR"):
        spoofed = request("10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
        assert client_address(spoofed) == "198.51.100.7"
        assert client_address(request("10.0.0.1")) == "10.0.0.1"  # no header: the connection's address
    assert client_address(request("10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.1"  # header not trusted
