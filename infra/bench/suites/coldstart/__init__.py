"""`make bench-coldstart`: both handlers' cold start as deployed, against their floors."""
