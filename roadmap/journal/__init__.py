"""The journal: a learner's daily learning log.

- stats.py: day N, streaks, weekly hours, the heatmap (pure);
- summary.py: the log in figures, from two queries;
- forms.py, views.py: writing, editing and deleting entries.

May import: roadmap.curriculum, roadmap.web, roadmap.models, accounts.models;
its views also use roadmap.sharing's share cards.
"""
