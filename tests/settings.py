"""Settings for the test suite (pyproject.toml's DJANGO_SETTINGS_MODULE for pytest).

The app's own settings with development defaults, as `make run` has them:
console email, plain static storage, no HTTPS redirect, a fixed secret key.
DEBUG=false in the environment still gives production-style settings.
pytest-django runs each test with settings.DEBUG = False either way.
"""

import os

os.environ.setdefault("DEBUG", "true")

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
