"""Telegram front end: a python-telegram-bot Application forwarding private chats to Rasa's REST channel."""
