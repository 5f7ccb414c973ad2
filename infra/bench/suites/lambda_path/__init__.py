"""The API handler outside HTTP: peak RSS and warm invocations in a child process (bench-full)."""
