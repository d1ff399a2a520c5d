"""The HTTP API: one router per resource. The only package that imports FastAPI (with app.py)."""
