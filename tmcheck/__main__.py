import sys

from tmcheck.cli import main

sys.exit(main())
