"""Sharing: what other people see of a learner.

- views.py: the public and unlisted progress pages, single reports, the badge
  and the Open Graph cards;
- cards.py: a day's report as text (the share card), where others read it, and
  the link previews (Open Graph and Twitter tags) of the shared pages;
- og_card.py: the 1200×630 PNG a shared page or report unfurls with;
- badge_layout.py: where the badge's texts and bars go, measured to fit;
- text_fit.py: the vendored DejaVu Sans (fonts/), text widths and ellipsizing.

Every way in answers a private page, an unknown user and a dead link with the
same 404. May import: roadmap.progress, roadmap.map, roadmap.journal,
roadmap.curriculum, roadmap.web, roadmap.models, accounts.models, and Pillow.
"""
