"""Checking: a learner proves what they know with problems from the topic's bank.

- topic_check.py: "Check yourself": three problems on a topic, the evidence a pass
  records, what a failure says, and the answer limit every answer counts against.
- drawing.py: which problems a learner gets (pure).
- forms.py: one answer field per problem, graded in clean().
- placement.py: the placement diagnostic's rule on plain data: which topic to ask
  next, and what the answers so far say of every topic. Imports no Django.
- diagnostic.py: a placement run on the database: the problem on screen, the
  proposal, accepting it.
- result_page.py: the placement result's rows, rendered in Python for speed.
- views.py: the check and placement pages.

May import: roadmap.progress, roadmap.curriculum, roadmap.models, roadmap.web, accounts.models.
"""
