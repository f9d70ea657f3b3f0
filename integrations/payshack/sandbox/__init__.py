"""The PayShack sandbox: its JSON API and its web portal over the shared payment world (SPEC 5.2, 5.3)."""
