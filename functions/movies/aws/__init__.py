"""AWS adapters: boto3 clients, the SQS task queue, the DynamoDB store and the worker's writer."""
