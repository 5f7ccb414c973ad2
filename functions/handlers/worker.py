"""Lambda entry for the worker: module-scope clients, built once and reused by warm invocations."""

from movies.aws import dynamodb_client
from movies.observability import build_logger
from movies.settings import Settings
from movies.worker import record_handler, worker_handler
from movies.writer import EventWriter

settings = Settings()
logger = build_logger(settings.log_file)
writer = EventWriter(dynamodb_client(settings), settings.table_name)
handler = worker_handler(record_handler(writer, logger), logger)
