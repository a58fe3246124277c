"""Kernel profiles: everything kernel-specific the offline verifier needs, versioned as data."""
