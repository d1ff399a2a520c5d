"""Scenarios: the simulated mentees, as data."""
