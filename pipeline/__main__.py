"""``python -m baozhi`` is the ``baozhi`` command."""
import sys

from baozhi.apps.cli import main

sys.exit(main())
