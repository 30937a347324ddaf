"""Checking: a learner proves what they know with problems from the topic's bank.

- placement.py: the placement diagnostic's rule on plain data: which topic to ask
  next, and what the answers so far say of every topic. Imports no Django.

May import: roadmap.progress, roadmap.curriculum, roadmap.models, roadmap.web.
"""
