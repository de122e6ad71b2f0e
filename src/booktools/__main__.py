import sys

from booktools.cli import main

sys.exit(main())
