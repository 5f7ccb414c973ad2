"""Lambda only: the entry modules (api, worker) and their glue; nothing in movies imports it."""
