"""Officer pages of the representativeness app, one module per area of work (baselines here)."""
