"""The map: the prerequisite graph drawn as a picture, on the server.

- layout.py: the layered drawing (pure); titles.py: titles fitted into boxes (pure);
- paint.py: one learner's statuses, gaps and goal path over a layout (pure);
- page.py: what the map page shows, with the layout cached;
- views.py: the map, its topic panel, and status changes made on it.

May import: roadmap.progress (statuses and gap analysis), roadmap.curriculum,
roadmap.web, roadmap.models, accounts.models.
"""
