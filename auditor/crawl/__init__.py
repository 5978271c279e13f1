"""Many sites: a Scrapy spider with scrapy-playwright, on one machine or on many over scrapy-redis.

- ``spider``: schedules sites and their pages; capture code records each page (no second navigation).
- ``pages``: the page budget (privacy policy, the opt-out link's destination, ``--pages N`` more).
- ``pipelines``: writes each site's evidence and reports the moment it finishes.
- ``middlewares``: retries with backoff for transient network errors.
- ``settings``: concurrency, politeness, AutoThrottle, the browser launch.
- ``runtime``/``run``: the reactor thread and the bridge to ``auditor audit``.
- ``distributed``: ``auditor enqueue``/``worker``/``collect`` on a shared Redis queue.
"""
