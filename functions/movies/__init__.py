"""Movie-recommendation API: one FastAPI app for Lambda, uvicorn and tests."""
