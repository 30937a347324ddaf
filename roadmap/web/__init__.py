"""What every view shares, and no domain in particular.

- htmx.py: the typed htmx request, the current roadmap, error fragments, going back;
- page_cache.py: rendered pages cached under everything they show;
- memory.py: the per-process memory behind every in-process cache;
- safe_markdown.py: learner-written Markdown, rendered and sanitised.

Imports no domain package (only roadmap.models and accounts.models).
"""
