"""Shared start of the in-process benchmarks: production-like settings, then django.setup().

Imported first, for its side effect, by bench/dashboard.py and bench/map.py.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/mathpath-bench.sqlite3")
os.environ["MATHPATH_DEFAULT_ROADMAP"] = "bench-1000"

import django

django.setup()
