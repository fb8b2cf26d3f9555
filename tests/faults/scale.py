"""How long the fault tests break things: `make test` runs them short; `make soak` sets
HEARLINE_SOAK_SCALE (10 there) and each runs that many times as long — as many times the
requests, the kills and the restarts."""

import os

SCALE = max(1, int(os.environ.get("HEARLINE_SOAK_SCALE", "1")))
