"""The worker handler off AWS: fresh SQS batches, DynamoDB on moto (bench-full, bench-coldstart)."""
