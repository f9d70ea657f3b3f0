"""Provider sandboxes: a deterministic payment world, and servers that render it in each provider's protocol."""
