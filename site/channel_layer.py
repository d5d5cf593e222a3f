"""The Redis channel layer with one reader per process instead of one per socket.

channels-redis already sends a group message once per server process (one Redis entry
naming every socket of that process). Its ``receive``, though, makes every waiting
socket race for a lock with two fresh tasks and an ``asyncio.wait`` each time, and
cancels the losers: with 250 sockets in a debate, one post costs hundreds of task
creations and cancellations per process before the first frame is written, and the
last socket waits for all of them.

Here each process has one reader task per event loop that pops the process's messages
from Redis (channels-redis' own ``receive_single``: same keys, expiry, capacity and
in-flight backup) and drops each one into the queues of the sockets it names; a
socket's ``receive`` is a plain ``Queue.get``. Everything else (``send``, groups,
``flush``) is channels-redis unchanged. When Redis fails, every waiting socket gets
the error, as each would have from its own read, and the next ``receive`` starts a new
reader; the reader stops when the last socket of its loop leaves.
"""

import asyncio
import contextlib
import time

from channels_redis.core import ChannelLock, RedisChannelLayer
from redis.exceptions import TimeoutError as RedisTimeoutError

# A failed read is tried again once at once (a pooled connection Redis dropped) before
# every socket is told; a read that timed out is tried again this many times. Errors
# further apart than ERRORS_FORGOTTEN_S do not add up.
READ_RETRIES = 1
TIMEOUT_RETRIES = 3
ERRORS_FORGOTTEN_S = 30.0


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


class FanOutRedisChannelLayer(RedisChannelLayer):
    # The blocking pop gives up on the server side before redis-py's default 5 s socket
    # timeout: with channels-redis' 5 s both fired together, and an idle process's
    # reader saw a TimeoutError instead of "nothing yet".
    brpop_timeout = 2

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._queues = {}  # process-local channel name -> asyncio.Queue
        self._reader = None  # the reading task
        self._reader_loop = None  # the event loop the queues and reader belong to

    async def receive(self, channel):
        if "!" not in channel:
            return await super().receive(channel)  # a shared channel: as channels-redis
        self.require_valid_channel_name(channel)  # raises on a bad name
        self._start_reader(self.non_local_name(channel))
        queue = self._queues.get(channel)
        if queue is None:
            queue = self._queues[channel] = asyncio.Queue()
        try:
            item = await queue.get()
        except asyncio.CancelledError:
            # The socket is gone (channels cancels its receive when the consumer ends).
            self._queues.pop(channel, None)
            if not self._queues:
                self._stop_reader()
            raise
        if isinstance(item, _Failure):
            # The socket closes on this error; a consumer that carries on gets a new queue.
            self._queues.pop(channel, None)
            raise item.error
        return item

    def _start_reader(self, real_channel):
        loop = asyncio.get_running_loop()
        if self._reader_loop is not loop:
            if self._reader_loop is not None:
                # Another event loop (tests run one per test): the sockets, queues and
                # locks of the old one are gone with it (a reader stopped as its loop
                # closed may never have released its lock on the process's key).
                self._queues = {}
                self.receive_clean_locks = ChannelLock()
                self.receive_cleaners = []
                self._stop_reader()
            self._reader_loop = loop
        if self._reader is None or self._reader.done():
            self._reader = loop.create_task(self._read(real_channel))

    def _stop_reader(self):
        task, self._reader = self._reader, None
        if task is not None:
            with contextlib.suppress(RuntimeError):  # its loop may be closed
                task.cancel()

    async def _read(self, real_channel):
        failures = timeouts = 0
        last_error_at = float("-inf")
        while True:
            try:
                target, message = await self.receive_single(real_channel)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                now = time.monotonic()
                if now - last_error_at > ERRORS_FORGOTTEN_S:
                    failures = timeouts = 0
                last_error_at = now
                if isinstance(error, RedisTimeoutError) and timeouts < TIMEOUT_RETRIES:
                    timeouts += 1
                    continue
                if not isinstance(error, RedisTimeoutError) and failures < READ_RETRIES:
                    failures += 1
                    continue
                # Redis went away: every socket hears it and closes with "try again".
                failure = _Failure(error)
                for queue in self._queues.values():
                    queue.put_nowait(failure)
                if self._reader is asyncio.current_task():
                    self._reader = None
                return
            failures = timeouts = 0
            for name in target if isinstance(target, list) else (target,):
                queue = self._queues.get(name)
                if queue is not None:  # None: that socket has left meanwhile
                    queue.put_nowait(message)
