"""Distributed runs on scrapy-redis: ``auditor enqueue`` fills a Redis list, ``auditor worker`` (any number,
on any machine) audits what it pops, ``auditor collect`` builds the portfolio from the workers' output.

The unit of work is the site, not the page: a worker pops a site and does all its pages itself, because a
site's visits share live browser contexts that cannot move between machines. So the workers share the
scrapy-redis *start-URL queue* (``RedisMixin``: its key naming, JSON data format, atomic batch pop and idle
timeout) and each keeps Scrapy's own scheduler for the site's pages. A site popped by a worker that then
dies is lost from the queue; ``auditor collect`` names every enqueued site that has no complete report.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import redis
from scrapy_redis.spiders import RedisMixin

from auditor.crawl.run import run_spider
from auditor.crawl.spider import AuditSpider
from auditor.errors import UserError
from auditor.judging import SiteResult
from auditor.options import AuditOptions
from auditor.targets import Target, TargetError, parse_target

SPIDER_NAME = "auditor"
QUEUE_KEY = f"{SPIDER_NAME}:start_urls"  # scrapy-redis' default REDIS_START_URLS_KEY, "%(name)s:start_urls"
ENQUEUED_KEY = f"{SPIDER_NAME}:enqueued"
POLL_SECONDS = 1.0


def redis_client(url: str) -> redis.Redis:
    """A Redis client for ``url`` (``redis://host:port/db``), checked with a PING."""
    client = redis.Redis.from_url(url, socket_connect_timeout=10)
    client.ping()
    return client


def redis_error(url: str, error: Exception) -> UserError:
    """The one-line error for a Redis that cannot be reached or used."""
    return UserError(f"--redis {url}: cannot reach Redis ({error})")


def enqueue(redis_url: str, targets: list[Target]) -> int:
    """Push each site as scrapy-redis JSON data (``{"url": ...}``); returns how many were queued."""
    client = redis_client(redis_url)
    with client.pipeline() as pipe:
        for target in targets:
            pipe.rpush(QUEUE_KEY, json.dumps({"url": target.url}))
            pipe.sadd(ENQUEUED_KEY, target.site_id)
        pipe.execute()
    return len(targets)


def enqueued_sites(redis_url: str) -> set[str]:
    """Site ids ever enqueued on this Redis (for ``collect`` to name the missing ones)."""
    client = redis_client(redis_url)
    return {item.decode() if isinstance(item, bytes) else item for item in client.smembers(ENQUEUED_KEY)}


class RedisAuditSpider(RedisMixin, AuditSpider):
    """The audit spider fed from the shared Redis queue; closes after ``MAX_IDLE_TIME_BEFORE_CLOSE`` idle s."""

    name = SPIDER_NAME
    redis_batch_size = 1  # take one site at a time: a worker never hoards sites another worker could audit

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> RedisAuditSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_redis(crawler)
        return spider

    def spider_idle(self) -> None:
        """Nothing to do: ``site_source`` polls the queue, and ends itself when idle long enough."""
        return None

    def make_request_from_data(self, data: bytes) -> Target | None:
        """A site from scrapy-redis JSON data (``{"url": ...}``) or a bare URL; None when unusable."""
        text = data.decode(self.redis_encoding or "utf-8") if isinstance(data, bytes) else str(data)
        try:
            url = json.loads(text)["url"] if text.lstrip().startswith("{") else text
            return parse_target(url)
        except (ValueError, KeyError, TypeError, TargetError) as error:
            self.logger.warning("skipping queue entry %r: %s", text[:200], error)
            return None

    async def site_source(self) -> AsyncIterator[Target]:
        idle_since = time.monotonic()
        while True:
            assert self._free is not None
            await self._free.acquire()  # pop only when a site can start at once
            self._free.release()
            batch = await asyncio.to_thread(self.fetch_data, self.redis_key, self.redis_batch_size)
            targets = [t for t in (self.make_request_from_data(item) for item in batch) if t is not None]
            for target in targets:
                yield target
            if batch:
                idle_since = time.monotonic()
                continue
            if self.sites:
                idle_since = time.monotonic()  # still auditing: not idle
            elif self.max_idle_time and time.monotonic() - idle_since >= self.max_idle_time:
                return
            await asyncio.sleep(POLL_SECONDS)


async def run_worker(
    options: AuditOptions, redis_url: str, idle_exit: int, on_result: Callable[[SiteResult, bool], None]
) -> None:
    """Audit sites from the queue until it has been empty and idle for ``idle_exit`` s (0: until stopped)."""
    settings = {"REDIS_URL": redis_url, "MAX_IDLE_TIME_BEFORE_CLOSE": idle_exit, "REDIS_START_URLS_KEY": QUEUE_KEY}
    await run_spider(RedisAuditSpider, options, {}, on_result, settings)
