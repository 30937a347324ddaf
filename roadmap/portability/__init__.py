"""Your data: a learner's export (JSON, CSV), import (JSON, idempotently) from the settings page.

- data.py: export and import, validated as a whole;
- check_record.py: the part of both that is the learner's answers, topic checks and placement runs;
- views.py: the downloads and the upload.

May import: roadmap.models, accounts (its settings page shows the import's errors).
"""
