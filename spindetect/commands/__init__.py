"""CLI commands, one module each; registered in spindetect.cli."""
