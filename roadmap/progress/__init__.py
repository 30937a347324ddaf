"""Progress: one learner's way through the roadmap.

- statuses.py: the status vocabulary (value, label, verb, colour), defined once.
- status.py: set_status, the one way a status changes.
- analysis.py: gaps, next up, the plan to a goal, section progress (pure).
- pace.py: when the plan is done at the learner's pace, what a target date needs (pure).
- review.py: spaced review with FSRS, with credit for prerequisites.
- practice.py: each section's practice tasks for a learner, and marking one done.
- dashboard.py: what the dashboard shows, from a fixed number of queries.
- items.py: a topic as the dashboard lists it (TopicItem).
- plan.py: the dashboard's plan panel: steps with resources, pace, and a patch of the steps.
- topic_card.py: the "Your progress" card of a topic page.
- forms.py, views.py: the dashboard and every change made from it.

May import: roadmap.curriculum, roadmap.community (ratings rank the plan's
resources), roadmap.web, roadmap.models, accounts.models.
"""
