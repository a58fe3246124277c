"""The command layer: one module per CLI command, rendering what the layers below compute."""
