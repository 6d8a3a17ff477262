"""The Telegram front end: PTB application, handlers, rendering, webhook server."""
