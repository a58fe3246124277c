"""Every test speaks for the reference build's profile unless it names another, so results do
not depend on the kernel the tests run on (``$KFCHECK_PROFILE``; tests of the default choice
remove it)."""

import os

from builds import REFERENCE

os.environ["KFCHECK_PROFILE"] = REFERENCE
