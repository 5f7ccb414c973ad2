"""`make bench-cost`: what a request costs as Lambda bills it, caching as shipped and off."""
