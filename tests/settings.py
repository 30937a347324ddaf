"""Settings for the test suite (pyproject.toml's DJANGO_SETTINGS_MODULE for pytest).

The app's own settings with development defaults, as `make run` has them:
console email, plain static storage, no HTTPS redirect, a fixed secret key.
DEBUG=false in the environment still gives production-style settings.
pytest-django runs each test with settings.DEBUG = False either way.
"""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings import *  # noqa: F403
