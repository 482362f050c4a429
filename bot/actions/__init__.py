"""Custom actions run by the action server (`python -m rasa_sdk --actions bot.actions`)."""
