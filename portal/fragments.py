"""Parts of pages that depend only on the data and the language, computed once per import.

The country chooser (249 countries: a query and a long `<select>`) and a country's header facts
are the same for every visitor of a language until the next import. `remembered` keeps such a
part under (code release, data version, language, name, key): an import makes every earlier
entry unreachable, as for whole pages (portal.caching). This serves pages that the page cache
does not (it is off, the query string is one it never keeps, or the page is not kept yet).

The store is in-process, or Redis when PORTAL_CACHE_URL is set (shared by every app server);
`kept_here` keeps large objects (a place's ledger) in the worker's memory only, the most
recently used first.
It is on unless PORTAL_FRAGMENT_CACHE_ENABLED says otherwise (off in tests and debug, as the
page cache). A store that is down is skipped: the part is computed, as without the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, current_app, g
from flask_caching import Cache

from portal.caching import GuardedStore, release_fingerprint, request_data_version, store_config
from portal.degraded import Outage

fragment_cache = Cache()

# Entries of an older data version are unreachable at once; the timeout only frees memory.
FRAGMENT_TIMEOUT_SECONDS = 24 * 3600
_STORE = "portal.fragments.store"
PROCESS_MEMO = "portal.fragments.here"
# Objects kept in this process (a place's ledger): the most recently used, at most this many.
KEPT_HERE = 64

T = TypeVar("T")


def init_app(app: Flask) -> None:
    enabled = app.config.get("PORTAL_FRAGMENT_CACHE_ENABLED")
    if enabled is None:
        enabled = not (app.testing or app.debug)
    app.config["PORTAL_FRAGMENT_CACHE_ENABLED"] = bool(enabled)
    if not enabled:
        return
    cache_config = store_config(
        app.config.get("PORTAL_CACHE_URL"), "portal:fragment:", 2000, FRAGMENT_TIMEOUT_SECONDS
    )
    fragment_cache.init_app(app, config=cache_config)
    app.extensions[PROCESS_MEMO] = ProcessMemo(KEPT_HERE)
    app.extensions[_STORE] = GuardedStore(
        app.extensions["cache"][fragment_cache],
        Outage("Fragment cache store", app.logger),
        release_fingerprint(),
    )


def remembered(name: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for this data version, language, name and key. `key`
    must come from checked input (an ISO3 code the database knows, a year), never raw."""
    store: GuardedStore | None = current_app.extensions.get(_STORE)
    if store is None:
        return compute()
    entry_key = f"{store.release}:{request_data_version().token}:{g.lang}:{name}:{key}"
    found = store.get(entry_key)
    if found is not None:
        return found
    value = compute()
    store.set(entry_key, value)
    return value


def kept_here(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or the object it gave in this process for this data version, name and key
    (any language): for objects too large to copy in and out of a shared store on each visit
    (a place's ledger, with the yearly sums it works out as pages ask for them)."""
    memo: ProcessMemo | None = current_app.extensions.get(PROCESS_MEMO)
    if memo is None:
        return compute()
    return memo.get_or_compute((request_data_version().token, name, key), compute)


class ProcessMemo:
    """The `size` most recently used objects, by key; shared by the worker's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_compute(self, key: tuple, compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = compute()  # outside the lock: two threads may both compute; one is kept
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value
