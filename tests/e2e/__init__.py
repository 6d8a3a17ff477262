"""End-to-end tests through the telegram-test-api emulator."""
