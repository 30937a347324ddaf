"""What every view shares, and no domain in particular.

- htmx.py: the typed htmx request, the current roadmap, active topics, error fragments, going back;
- htmx_errors.py: the middleware that answers every htmx error with a fragment for the flash region;
- page_cache.py: rendered pages cached under everything they show;
- memory.py: the per-process memory behind every in-process cache;
- safe_markdown.py: learner-written Markdown, rendered and sanitised.

Imports no domain package (only roadmap.models and accounts.models).
"""
