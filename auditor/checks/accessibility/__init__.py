"""Checks on the notices' accessibility: axe-core inside each notice, the keyboard walk, the link's contrast."""
