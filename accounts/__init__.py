"""Identity and account settings: the user's profile, sign-up and login glue, the settings page.

Imports nothing from roadmap: the roadmap builds on accounts, never the other
way round (a contract in pyproject.toml).
"""
