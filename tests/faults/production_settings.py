"""Settings for the app servers the fault tests start: production, as deployed (DEBUG off).

One difference: static files are served without collectstatic's manifest, so
these tests do not depend on `collectstatic` having been run in this checkout.
No page these tests read depends on it.
"""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
