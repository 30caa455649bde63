"""gunicorn settings, read automatically from the working directory."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Load the app once before forking: workers share its memory pages.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
# Without this, gunicorn 27 opens a control socket in ~/.gunicorn, which a read-only home lacks.
control_socket_disable = True
