"""Run gisapp from a source checkout: ``python main.py [options]`` (same as ``gisapp``)."""

import sys

from gisapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
