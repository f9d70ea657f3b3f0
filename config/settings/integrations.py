"""Provider settings; each integration reads its own typed settings object from these."""
