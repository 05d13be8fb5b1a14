"""``python -m sw_volunteer`` runs the command line."""

import sys

from sw_volunteer.cli import main

sys.exit(main())
