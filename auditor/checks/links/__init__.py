"""Checks on the homepage's links: the opt-out link, its wording, look and icon, and the other required links."""
