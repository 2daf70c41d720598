"""The application shell: start-up, sign-in, the main window, its pages and the lock."""
