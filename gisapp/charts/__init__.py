"""Qt-free matplotlib figures of plan indicators, drawn for the dashboard and the report."""
