"""Hearline: complaint handling for public-service organisations."""
