"""Editing as objects: edits with undo, edit operations, edit sessions, snapping, validation."""
