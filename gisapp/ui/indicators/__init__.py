"""The indicator dashboard, its worker service and controller, and the actuals and green-standard dialogs."""
