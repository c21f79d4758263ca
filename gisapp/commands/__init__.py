"""QUndoCommand wrappers around the core's edit objects."""
