"""The commands of ``auditor``, one module each (as ``scrapy/commands/crawl.py``): its options and its body.

Each module exposes ``command`` (a click command or group); :mod:`auditor.cli` assembles them. Options two
commands share are declared once in :mod:`auditor.commands.shared`.
"""
