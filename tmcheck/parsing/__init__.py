"""Bounded parsing: bytes to text, YAML and JSON to a position-carrying tree."""
