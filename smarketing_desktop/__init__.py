"""Smarketing Desktop: social selling as a daily habit, stored locally."""

__version__ = "0.1.0"
APP_NAME = "Smarketing Desktop"
APP_ID = "smarketing-desktop"
