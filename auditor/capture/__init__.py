"""Gatherers: what one cold visit of a site sees and what the site does, recorded as evidence.

:mod:`.page` loads and records a page; :mod:`.profile` runs a visit profile's gatherers (:mod:`.choice_links`,
:mod:`.consent`, :mod:`.signals`, :mod:`.policy`) on the open page, each given a :class:`.visit.Visit`.
Capture never judges and never imports rules or reports.
"""
