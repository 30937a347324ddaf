"""The community: learners adding to the roadmap.

- suggestions.py: suggested resources, from suggestion to curated resource;
- ratings.py: "helped me" ratings of the resources learners used;
- forms.py, views.py.

May import: roadmap.curriculum, roadmap.web, roadmap.models, accounts.models.
"""
