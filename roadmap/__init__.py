"""Everything about learning: the curated roadmap and each learner's way through it.

One package per domain, named for what a learner or curator calls it:

- curriculum: the curated plan (topics, edges, resources), its graph and the roadmap file;
- progress: one learner's statuses, gaps, next up, the plan to a goal, reviews, the dashboard;
- map: the roadmap drawn as a picture;
- journal: the learning log;
- community: resource suggestions and ratings;
- sharing: public and unlisted progress pages, the badge and share cards;
- portability: a learner's data out and back in;
- web: what every view shares (htmx, the page cache, per-process memory, safe Markdown).

Models live in roadmap/models/, split by domain. The allowed imports between
the packages are a contract in pyproject.toml ([tool.importlinter]), checked
by `make lint`.
"""
