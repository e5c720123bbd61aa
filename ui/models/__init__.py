"""Qt item models fed with service results; they hold no database handle."""
