"""The application shell: start-up, main window, dialogs, language, screenshots."""
