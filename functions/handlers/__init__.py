"""Lambda only: the entry modules (api, worker, pre_traffic) and their glue; movies imports none.

Loading an entry module under the Lambda runtime runs without the cyclic garbage collector, from
here to the end of that module (handlers.init_gc).
"""

from handlers.init_gc import pause_for_init

pause_for_init()
