"""Real conversations as a benchmark: ReDial data (``redial``) and the replay protocol
and its scores (``protocol``)."""
