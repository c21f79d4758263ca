"""The plan's indicators: definitions and links, monitored actuals, progress and status."""
