"""Sharing: what other people see of a learner.

- views.py: the public and unlisted progress pages, single reports, the badge;
- cards.py: a day's report as text (the share card) and where others read it.

Every way in answers a private page, an unknown user and a dead link with the
same 404. May import: roadmap.progress, roadmap.map, roadmap.journal,
roadmap.curriculum, roadmap.web, roadmap.models, accounts.models.
"""
