"""Settings for the test suite (pyproject.toml's DJANGO_SETTINGS_MODULE for pytest).

The app's own settings with development defaults, as `make run` has them:
console email, plain static storage, no HTTPS redirect, a fixed secret key;
with CACHE_URL=redis://…, Redis for the caches and sessions, as in production.
DEBUG=false in the environment still gives production-style settings.
pytest-django runs each test with settings.DEBUG = False either way.
"""

import os

os.environ.setdefault("DEBUG", "true")
if os.environ.get("CACHE_URL"):
    # One Redis serves every test worker, and any other run on this machine: each
    # process keeps its keys under a prefix of its own (the app servers some tests
    # start inherit it, so they share the test's cache). tests/conftest.py empties
    # them before each test and deletes them at the end.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    os.environ["CACHE_KEY_PREFIX"] = f"mathpath-test-{worker}-{os.getpid()}"

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

# Templates are compiled once per process, as production's cached loader does
# (development re-reads them on every render, to show edits at once; a test run
# never edits them).
TEMPLATES = [
    {
        **TEMPLATES[0],
        "OPTIONS": {
            **TEMPLATES[0]["OPTIONS"],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
        },
    }
]
