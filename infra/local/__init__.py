"""The local stack: moto with the template's resources, catalog simulator, API and pollers."""
