"""A small portal package: sanitizers and command helpers in one module, views in another."""
