"""Background work that hands results back to the UI thread by job id."""
