"""Lambda entry for the worker: module-scope clients, built once and reused by warm invocations."""

from handlers.batch import record_handler, worker_handler
from handlers.init_gc import init_done
from movies.aws.clients import dynamodb_client
from movies.aws.writer import EventWriter
from movies.observability import build_logger
from movies.settings import Settings

settings = Settings()
logger = build_logger(settings.log_file)
writer = EventWriter(dynamodb_client(settings), settings.table_name, settings.trending_rules())
handler = worker_handler(record_handler(writer, logger), logger)

init_done(__name__)  # the last line of init: what it made is frozen, the collector resumes
