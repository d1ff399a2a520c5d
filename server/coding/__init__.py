"""The micro-skill coder."""
