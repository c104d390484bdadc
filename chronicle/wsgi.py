from __future__ import annotations

import os
import sys

from django.core.wsgi import get_wsgi_application

from chronicle.env import SettingError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chronicle.settings")
try:
    application = get_wsgi_application()
except SettingError as error:
    # The server cannot start without its settings: say which one in a line, not a traceback.
    sys.exit(f"chronicle: {error}")
