"""A child for the bench tests: writes its pid to the file named by its argument, then sleeps a minute."""

import os
import sys
import time
from pathlib import Path

Path(sys.argv[1]).write_text(str(os.getpid()))
time.sleep(60)
