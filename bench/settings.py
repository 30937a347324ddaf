"""Settings for the load benchmark: the app's own, plus the "floor" views of bench/urls.py.

bench/load.py runs gunicorn (and its own in-process requests) with these.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
