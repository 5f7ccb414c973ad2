"""API Gateway's edge for the local stacks, as template.yaml describes it; never deployed."""
