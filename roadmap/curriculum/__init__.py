"""The curriculum: the curated plan and its prerequisite graph.

- graph.py: the graph algorithms on plain data (closure, study order, the route
  to a goal, cycles). Imports nothing from the project and no Django.
- loading.py: a roadmap's graph from the database, kept per graph token; the
  one place every page gets it.
- roadmap_file/: the roadmap as a readable YAML file: parse, apply, export.
- checks.py: the curation rules check_roadmap and the admin index hold a roadmap to.
- answers.py: the answer grammar of check problems: parse what a learner types
  into a small tree, evaluate it in floats (answer_tokens.py is its tokenizer).
  Never evals the text; imports no Django and no sympy.
- grading.py: a learner's answer against a problem's key (numeric, expression,
  choice) on plain data, and the grammar's one line of help. No Django.
- views.py: the roadmap as a list, and a topic's page.

May import: roadmap.models, roadmap.web, accounts.models; its views may also
use other domains' non-view modules (the topic page shows the learner's card).
"""
