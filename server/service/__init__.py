"""The practice-session service: identity-scoped sessions over the store and the practice engine.

No HTTP here: the API layer (`server/api/sessions.py`) maps requests and `ServiceError`s onto it.
"""
