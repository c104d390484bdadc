#!/usr/bin/env python
from __future__ import annotations

import sys

from chronicle.cli import run_django

if __name__ == "__main__":
    sys.exit(run_django(sys.argv[1:]))
