"""gunicorn settings for production (`make serve-prod`, `gunicorn -c python:portal.gunicorn_conf`).

Run it with PORTAL_ENV=production: the portal then refuses to start without PORTAL_SECRET_KEY
and PORTAL_DATABASE_URL, and marks its session cookie Secure. Tuned by the environment:

- HOST, PORT: where to listen (127.0.0.1:8000; HOST=0.0.0.0 in a container).
- WEB_CONCURRENCY: worker processes (2 × CPU cores + 1); GUNICORN_THREADS: threads each (4).
- FORWARDED_ALLOW_IPS: addresses of the reverse proxy whose X-Forwarded-Proto is trusted
  (127.0.0.1,::1); with PORTAL_PROXY_COUNT the app trusts its X-Forwarded-For/-Host too.
- GUNICORN_ACCESS_LOG: where the access log goes ("-" for standard output, "" for none).
- GUNICORN_CONTROL_SOCKET: a path to enable gunicorn's control socket (off by default).
"""

from __future__ import annotations

import multiprocessing
import os

from flask import Flask
from jinja2 import TemplateError

# The app factory (wsgi.py does the same), so an installed wheel serves without a checkout.
wsgi_app = "portal:create_app()"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
worker_class = "gthread" if threads > 1 else "sync"
# Keep-alive lets a visitor's browser fetch the page, CSS and JS over one connection.
keepalive = 5
timeout = 30
graceful_timeout = 30
# Load the app once in the master: faster forks, and a broken configuration fails at start.
preload_app = True
# A worker is replaced now and then, so a slow leak can never grow without bound; not too
# often, as a new worker starts with an empty in-process page cache (at 4 000 cached pages a
# second, 5 000 requests replaced each worker every few seconds: make bench).
max_requests = 50_000
max_requests_jitter = 5_000
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's control socket (gunicornc) only where asked for: its default path is shared by
# every gunicorn of the user, so two servers on one host would fight over it.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the (possibly slow) container disk


def when_ready(server) -> None:
    """Warm the preloaded app in the master, so every worker (also those that replace a
    retired one later) is forked warm: templates compiled, and each feature's warm-up
    (callables in app.extensions["portal_warm_up"], e.g. drawing the world map) done."""
    application = server.app.wsgi()
    if not isinstance(application, Flask):
        return
    for name in application.jinja_env.list_templates(extensions=("html",)):
        try:
            application.jinja_env.get_template(name)
        except TemplateError as error:  # an optimisation only: the page will say it again
            server.log.warning("Template %s does not compile: %s", name, error)
    for warm_up in application.extensions.get("portal_warm_up", []):
        warm_up()


def post_fork(server, worker) -> None:
    """Each worker opens its own database connections, never ones inherited from the master."""
    application = worker.app.wsgi()
    if isinstance(application, Flask) and "sqlalchemy" in application.extensions:
        from portal.extensions import db

        with application.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
