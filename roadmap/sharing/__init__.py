"""Sharing: what other people see of a learner.

- views.py: the public and unlisted progress pages, single reports, the badge;
- cards.py: a day's report as text (the share card), where others read it, and
  the link previews (Open Graph and Twitter tags) of the shared pages.

Every way in answers a private page, an unknown user and a dead link with the
same 404. May import: roadmap.progress, roadmap.map, roadmap.journal,
roadmap.curriculum, roadmap.web, roadmap.models, accounts.models.
"""
