"""WSGI entry point: `gunicorn --worker-class eventlet -w 1 wsgi:app` or `hearth serve`."""

from hearth.green import monkey_patch

monkey_patch()

from hearth import create_app  # noqa: E402  (must come after monkey-patching)

app = create_app()
