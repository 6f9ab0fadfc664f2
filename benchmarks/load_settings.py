"""The production profile with one extra URL, for benchmarks/load.py only (never deployed): every Chorus
URL, and /bench/one-row/, a trivial view that writes one row (benchmarks/load_urls.py)."""

from config.settings_production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.load_urls"
