"""`python -m iotevents serve ...`: the `iotevents` command (iotevents.cli)."""
import sys

from .cli import main

sys.exit(main())
