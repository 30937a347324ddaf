"""Your data: a learner's export (JSON, CSV), import (JSON, idempotently) from the settings page.

- data.py: the whole export and import: the format and version, the file's shape, one transaction;
- values.py: how every kind of record writes and reads topics, times and numbers;
- profile.py: the settings and the goal;
- progress.py: progress records, with their check evidence and review schedules;
- log.py: learning log entries;
- practice.py: practice tasks done;
- check_record.py: the learner's answers, topic checks and placement runs;
- community.py: resource ratings and suggestions;
- spreadsheet.py: the CSV exports, in cells no spreadsheet runs;
- views.py: the downloads and the upload.

May import: roadmap.progress (review schedules), roadmap.community (the rating
and suggestion forms' rules), roadmap.models, accounts (its settings page shows
the import's errors).
"""
