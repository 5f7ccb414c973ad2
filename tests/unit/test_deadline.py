"""The request deadline: cancels at its time, owns only its own cancellation, leaves no trace."""

import asyncio

from movies.api.middleware.deadline import Deadline


async def test_it_cancels_the_task_at_its_time_and_takes_the_cancellation_back() -> None:
    task = asyncio.current_task()
    assert task is not None
    deadline = Deadline(0.05)
    started = asyncio.get_running_loop().time()
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        cancelled = True
    else:
        cancelled = False
    finally:
        deadline.close()
    assert cancelled
    assert deadline.expired
    assert 0.04 <= asyncio.get_running_loop().time() - started < 5
    assert task.cancelling() == 0  # the task can go on and answer
    await asyncio.sleep(0)  # and awaiting again is not cancelled


async def test_a_closed_deadline_never_fires() -> None:
    deadline = Deadline(0.02)
    deadline.close()
    await asyncio.sleep(0.06)  # would raise CancelledError if the timer were still armed
    assert not deadline.expired


async def test_someone_elses_cancellation_is_not_taken_for_the_deadline() -> None:
    async def request() -> bool:
        deadline = Deadline(10)
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return deadline.expired
        finally:
            deadline.close()
        return True

    task = asyncio.create_task(request())
    await asyncio.sleep(0.01)
    task.cancel()  # the server's or the client's
    assert await task is False
    assert task.cancelling() == 1  # left for its owner
