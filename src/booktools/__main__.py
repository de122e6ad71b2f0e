import sys

from booktools.cli import leave, main

sys.exit(leave(main()))
